// JSON bodies of the task resource and its companions, exactly as API.md shows them.
//
// A task renders as {"id","title","description","status","priority","due_at","tags","assignee",
// "project","created_by","created_at","updated_at","version"} in that order; absent due_at,
// assignee and project are null; times are RFC 3339 UTC with milliseconds. Rendering is
// deterministic (fixed member order, no floating point), so every node produces byte-identical
// bodies, which the apply outcome and idempotency records rely on. Shared with the API layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "store/history_item.h"
#include "store/task.h"
#include "store/user.h"

namespace taskraft::store {

boost::json::object task_json(const Task& t);
std::string task_body(const Task& t);

// {"items":[task...], "next_cursor": "..." | null}
std::string task_list_body(const std::vector<Task>& items, const std::optional<std::string>& next_cursor);

// {"version","raft_index","raft_term","at","actor","op","changes"}
boost::json::object history_item_json(const HistoryItem& h);
// {"items":[history item...]}
std::string history_body(const std::vector<HistoryItem>& items);

// {"username","role","created_at"}; never the password hash.
boost::json::object user_json(const User& u);
std::string user_body(const User& u);
// {"items":[user...]}
std::string user_list_body(const std::vector<User>& users);

}  // namespace taskraft::store

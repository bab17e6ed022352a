// Task history rows: one per change of a task (create, update, delete), never rewritten.
//
// Guarantees: versions of one task are consecutive from 1; a task's history outlives its
// deletion (the delete is its last entry); `changes` is computed from the task JSON of before and
// after, so it shows values exactly as the API does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "store/history_item.h"
#include "store/task.h"

namespace taskraft::store {

class Connection;

// {"field": {"from": ..., "to": ...}} for every writable field whose JSON value differs, all
// values counting as null when `before` is null (a create lists the fields that have a value).
// An empty object "{}" when nothing differs. The arguments are task_json() renderings, which the
// caller usually needs anyway (the answer's body).
std::string task_changes(const boost::json::object* before, const boost::json::object& after);

void insert_history(Connection& c, TaskId id, const HistoryItem& h);
std::vector<HistoryItem> load_history(Connection& c, TaskId id);  // by version; empty if none

}  // namespace taskraft::store

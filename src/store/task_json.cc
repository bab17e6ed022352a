// Rendering of tasks, history and users as JSON (see task_json.h).
#include "store/task_json.h"

#include <boost/json.hpp>

#include "store/time_format.h"

namespace taskraft::store {
namespace {

boost::json::value optional_string(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

template <typename T, typename Render>
boost::json::object items_object(const std::vector<T>& items, Render render) {
  boost::json::array array;
  array.reserve(items.size());
  for (const T& item : items) array.push_back(render(item));
  return boost::json::object{{"items", std::move(array)}};
}

}  // namespace

boost::json::object task_json(const Task& t) {
  boost::json::array tags;
  for (const std::string& tag : t.tags) tags.push_back(boost::json::value(tag));
  boost::json::object o;
  o["id"] = t.id;
  o["title"] = t.title;
  o["description"] = t.description;
  o["status"] = to_string(t.status);
  o["priority"] = to_string(t.priority);
  o["due_at"] = t.due_at_ms ? boost::json::value(format_rfc3339(*t.due_at_ms)) : nullptr;
  o["tags"] = std::move(tags);
  o["assignee"] = optional_string(t.assignee);
  o["project"] = optional_string(t.project);
  o["created_by"] = t.created_by;
  o["created_at"] = format_rfc3339(t.created_at_ms);
  o["updated_at"] = format_rfc3339(t.updated_at_ms);
  o["version"] = t.version;
  return o;
}

std::string task_body(const Task& t) { return boost::json::serialize(task_json(t)); }

std::string task_list_body(const std::vector<Task>& items, const std::optional<std::string>& next_cursor) {
  boost::json::object o = items_object(items, task_json);
  o["next_cursor"] = optional_string(next_cursor);
  return boost::json::serialize(o);
}

boost::json::object history_item_json(const HistoryItem& h) {
  boost::json::object o;
  o["version"] = h.version;
  o["raft_index"] = h.raft_index;
  o["raft_term"] = h.raft_term;
  o["at"] = format_rfc3339(h.at_ms);
  o["actor"] = h.actor;
  o["op"] = h.op;
  o["changes"] = boost::json::parse(h.changes_json);
  return o;
}

std::string history_body(const std::vector<HistoryItem>& items) {
  return boost::json::serialize(items_object(items, history_item_json));
}

boost::json::object user_json(const User& u) {
  boost::json::object o;
  o["username"] = u.username;
  o["role"] = to_string(u.role);
  o["created_at"] = format_rfc3339(u.created_at_ms);
  return o;
}

std::string user_body(const User& u) { return boost::json::serialize(user_json(u)); }

std::string user_list_body(const std::vector<User>& users) { return boost::json::serialize(items_object(users, user_json)); }

}  // namespace taskraft::store

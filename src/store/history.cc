// Task history (see history.h).
#include "store/history.h"

#include <array>
#include <string_view>

#include <boost/json.hpp>

#include "store/connection.h"
#include "store/task_json.h"

namespace taskraft::store {
namespace {

constexpr std::array<std::string_view, 8> kWritableFields = {
    "title", "description", "status", "priority", "due_at", "tags", "assignee", "project"};

}  // namespace

std::string task_changes(const boost::json::object* before, const boost::json::object& after) {
  boost::json::object changes;
  const boost::json::value null_value;
  for (std::string_view field : kWritableFields) {
    const boost::json::value* old_value = before ? before->if_contains(field) : nullptr;
    const boost::json::value& from_value = old_value ? *old_value : null_value;
    const boost::json::value& to_value = after.at(field);
    if (from_value != to_value) changes[field] = {{"from", from_value}, {"to", to_value}};
  }
  return boost::json::serialize(changes);
}

void insert_history(Connection& c, TaskId id, const HistoryItem& h) {
  c.insert_later("INSERT INTO task_history (task_id, version, raft_index, raft_term, at_ms, actor, op, changes) VALUES",
                 "(" + std::to_string(id) + ", " + std::to_string(h.version) + ", " + std::to_string(h.raft_index) + ", " +
                     std::to_string(h.raft_term) + ", " + std::to_string(h.at_ms) + ", " +
                     Connection::quote_bytes(h.actor) + ", " + Connection::quote_bytes(h.op) + ", " +
                     Connection::quote_bytes(h.changes_json) + ")");
}

std::vector<HistoryItem> load_history(Connection& c, TaskId id) {
  std::vector<HistoryItem> items;
  auto r = c.query("SELECT version, raft_index, raft_term, at_ms, actor, op, changes FROM task_history "
                   "WHERE task_id = " + std::to_string(id) + " ORDER BY version");
  while (auto row = r.next()) {
    items.push_back({row->u64(0), row->u64(1), row->u64(2), row->i64(3), row->str(4), row->str(5), row->str(6)});
  }
  return items;
}

}  // namespace taskraft::store

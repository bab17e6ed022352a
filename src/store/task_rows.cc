// Task rows (see task_rows.h).
#include "store/task_rows.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "store/connection.h"
#include "store/error.h"
#include "store/hex.h"

namespace taskraft::store {
namespace {

constexpr std::string_view kColumns =
    "t.id, t.title, t.description, t.status, t.priority, t.due_at_ms, t.assignee, t.project, "
    "t.created_by, t.created_at_ms, t.updated_at_ms, t.version";

Task task_from_row(const Row& row) {
  Task t;
  t.id = row.u64(0);
  t.title = row.str(1);
  t.description = row.str(2);
  auto status = status_from_number(row.i64(3));
  auto priority = priority_from_number(row.i64(4));
  if (!status || !priority) throw DbError(0, "task " + std::to_string(t.id) + " has a bad status or priority");
  t.status = *status;
  t.priority = *priority;
  std::int64_t due = row.i64(5);
  if (due != kNoDueDate) t.due_at_ms = due;
  t.assignee = row.opt_str(6);
  t.project = row.opt_str(7);
  t.created_by = row.str(8);
  t.created_at_ms = row.i64(9);
  t.updated_at_ms = row.i64(10);
  t.version = row.u64(11);
  return t;
}

std::string optional_literal(const std::optional<std::string>& s) {
  return s ? Connection::quote_bytes(*s) : "NULL";
}

// Every column of `t` but the id, with its SQL literal (text as hex: see quote_bytes).
std::vector<std::pair<std::string_view, std::string>> column_values(const Task& t) {
  return {
      {"title", Connection::quote_bytes(t.title)},
      {"description", Connection::quote_bytes(t.description)},
      {"status", std::to_string(static_cast<int>(t.status))},
      {"priority", std::to_string(static_cast<int>(t.priority))},
      {"due_at_ms", std::to_string(t.due_at_ms.value_or(kNoDueDate))},
      {"assignee", optional_literal(t.assignee)},
      {"project", optional_literal(t.project)},
      {"created_by", Connection::quote_bytes(t.created_by)},
      {"created_at_ms", std::to_string(t.created_at_ms)},
      {"updated_at_ms", std::to_string(t.updated_at_ms)},
      {"version", std::to_string(t.version)},
  };
}

void insert_tags(Connection& c, const Task& t) {
  for (std::size_t i = 0; i < t.tags.size(); ++i) {
    c.insert_later("INSERT INTO task_tags (task_id, position, tag) VALUES",
                   "(" + std::to_string(t.id) + ", " + std::to_string(i) + ", " +
                       Connection::quote_bytes(t.tags[i]) + ")");
  }
}

}  // namespace

std::optional<Task> load_task(Connection& c, TaskId id) {
  auto tasks = load_tasks(c, "tasks t WHERE t.id = " + std::to_string(id));
  if (tasks.empty()) return std::nullopt;
  return std::move(tasks.front());
}

std::vector<Task> load_tasks(Connection& c, std::string_view from) {
  // One statement (one consistent read): the tags come along hex-encoded, comma-separated.
  auto r = c.query(std::string("SELECT ") + std::string(kColumns) +
                   ", (SELECT GROUP_CONCAT(HEX(g.tag) ORDER BY g.position SEPARATOR ',') FROM task_tags g "
                   "WHERE g.task_id = t.id) FROM " + std::string(from));
  std::vector<Task> tasks;
  while (auto row = r.next()) {
    Task& t = tasks.emplace_back(task_from_row(*row));
    for (std::string_view tags = row->view(12); !tags.empty();) {
      std::size_t comma = std::min(tags.find(','), tags.size());
      auto tag = hex_decode(tags.substr(0, comma));
      if (!tag) throw DbError(0, "task " + std::to_string(t.id) + " has a tag that does not decode");
      t.tags.push_back(std::move(*tag));
      tags.remove_prefix(std::min(comma + 1, tags.size()));
    }
  }
  return tasks;
}

void insert_task(Connection& c, const Task& t) {
  // Appended piece by piece: a description's literal is copied once, not once per `+`.
  std::string head = "INSERT INTO tasks (id", row = "(" + std::to_string(t.id);
  for (const auto& [column, value] : column_values(t)) {
    head.append(", ").append(column);
    row.append(", ").append(value);
  }
  head += ") VALUES";
  row += ')';
  c.insert_later(head, row);
  insert_tags(c, t);
}

void update_task(Connection& c, const Task& t, bool tags_changed) {
  std::string statement = "UPDATE tasks SET ";
  const char* separator = "";
  for (const auto& [column, value] : column_values(t)) {
    statement.append(separator).append(column).append(" = ").append(value);
    separator = ", ";
  }
  statement.append(" WHERE id = ").append(std::to_string(t.id));
  c.exec(statement);
  if (tags_changed) {
    c.exec("DELETE FROM task_tags WHERE task_id = " + std::to_string(t.id));
    insert_tags(c, t);
  }
}

void delete_task(Connection& c, TaskId id) {
  c.exec("DELETE FROM task_tags WHERE task_id = " + std::to_string(id));
  c.exec("DELETE FROM tasks WHERE id = " + std::to_string(id));
}

}  // namespace taskraft::store

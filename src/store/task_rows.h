// Tasks as rows: the tasks table plus their tags in task_tags.
//
// Guarantees: a Task written by insert_task/update_task reads back equal from load_task (tags in
// their order); reads that take several statements must run inside one transaction to see one
// state (the callers do). Absent due dates are stored as kNoDueDate so that every sort key is
// NOT NULL (see docs/schema.md).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/task.h"

namespace taskraft::store {

class Connection;

inline constexpr std::int64_t kNoDueDate = std::numeric_limits<std::int64_t>::max();

// Each is one statement, tags included: a consistent read even outside a transaction.
std::optional<Task> load_task(Connection& c, TaskId id);
// Tasks of `SELECT <task columns> FROM <from>`, in its order: `from` is the rest of the
// statement and names the tasks table `t` (e.g. "tasks t WHERE t.id = 4").
std::vector<Task> load_tasks(Connection& c, std::string_view from);

void insert_task(Connection& c, const Task& t);
// Writes every column of `t`; rewrites its tags only when `tags_changed`.
void update_task(Connection& c, const Task& t, bool tags_changed);
void delete_task(Connection& c, TaskId id);

}  // namespace taskraft::store

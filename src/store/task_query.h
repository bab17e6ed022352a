// The task listing of API.md: filters, full-text search, sort and keyset pagination.
//
// Guarantees: items come in the requested order with ties broken by id; `next_cursor` is set
// exactly when more items follow; pages never skip nor repeat a task whose sort key does not
// change (see cursor.h). Every filter is ANDed. One statement: a consistent read, in a
// transaction or not.
//
// Full text (`q`): every word of q must occur in the title or the description, as a word prefix
// through the FULLTEXT index; words the index cannot serve (shorter than 3 characters, longer
// than 84, or InnoDB stopwords such as "the") are matched as substrings instead.
// Due dates: due_before matches due_at < t, due_after due_at > t; tasks without a due date match
// neither, and sort after every dated task in ascending order (first in descending).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/cursor.h"
#include "store/task.h"

namespace taskraft::store {

class Connection;

inline constexpr std::size_t kDefaultLimit = 50;
inline constexpr std::size_t kMaxLimit = 500;

struct TaskQuery {
  std::optional<Status> status;
  std::optional<Priority> priority;
  std::optional<std::string> tag;
  std::optional<std::string> assignee;
  std::optional<std::string> project;
  std::optional<std::string> q;
  std::optional<std::int64_t> due_before_ms;
  std::optional<std::int64_t> due_after_ms;
  SortOrder sort;                     // default -updated_at; ignored when `after` is set
  std::size_t limit = kDefaultLimit;  // clamped to 1..kMaxLimit
  std::optional<Cursor> after;        // continue a listing: its own sort order applies
};

struct TaskPage {
  std::vector<Task> items;
  std::optional<std::string> next_cursor;
};

TaskPage list_tasks(Connection& c, const TaskQuery& query);

}  // namespace taskraft::store

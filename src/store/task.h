// A task as the state machine holds it, and the names of its enumerations as the API spells them.
//
// Times are milliseconds since the Unix epoch (UTC). `tags` keep the order they were given in,
// without duplicates. The numeric values of Status and Priority are the ones stored in MySQL and
// the ones of proto/command.proto, and they order as the API sorts (low < ... < urgent).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taskraft::store {

using TaskId = std::uint64_t;

enum class Status : std::uint8_t { kTodo = 1, kInProgress = 2, kDone = 3 };
enum class Priority : std::uint8_t { kLow = 1, kMedium = 2, kHigh = 3, kUrgent = 4 };

const char* to_string(Status s);
const char* to_string(Priority p);
std::optional<Status> parse_status(std::string_view name);      // "todo", "in_progress", "done"
std::optional<Priority> parse_priority(std::string_view name);  // "low", "medium", "high", "urgent"
std::optional<Status> status_from_number(std::int64_t n);
std::optional<Priority> priority_from_number(std::int64_t n);

struct Task {
  TaskId id = 0;
  std::string title;
  std::string description;
  Status status = Status::kTodo;
  Priority priority = Priority::kMedium;
  std::optional<std::int64_t> due_at_ms;
  std::vector<std::string> tags;
  std::optional<std::string> assignee;
  std::optional<std::string> project;
  std::string created_by;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::uint64_t version = 0;

  friend bool operator==(const Task&, const Task&) = default;
};

}  // namespace taskraft::store

// Names and numbers of task enumerations (see task.h).
#include "store/task.h"

#include <array>
#include <cassert>

namespace taskraft::store {
namespace {

constexpr std::array<const char*, 3> kStatusNames = {"todo", "in_progress", "done"};
constexpr std::array<const char*, 4> kPriorityNames = {"low", "medium", "high", "urgent"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<const char*, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<Enum>(i + 1);
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::optional<Enum> from_number(std::int64_t n) {
  if (n < 1 || n > static_cast<std::int64_t>(N)) return std::nullopt;
  return static_cast<Enum>(n);
}

}  // namespace

const char* to_string(Status s) {
  auto i = static_cast<std::size_t>(s);
  assert(i >= 1 && i <= kStatusNames.size());
  return kStatusNames[i - 1];
}

const char* to_string(Priority p) {
  auto i = static_cast<std::size_t>(p);
  assert(i >= 1 && i <= kPriorityNames.size());
  return kPriorityNames[i - 1];
}

std::optional<Status> parse_status(std::string_view name) {
  return parse_name<Status>(kStatusNames, name);
}
std::optional<Priority> parse_priority(std::string_view name) {
  return parse_name<Priority>(kPriorityNames, name);
}
std::optional<Status> status_from_number(std::int64_t n) {
  return from_number<Status, kStatusNames.size()>(n);
}
std::optional<Priority> priority_from_number(std::int64_t n) {
  return from_number<Priority, kPriorityNames.size()>(n);
}

}  // namespace taskraft::store

// URL query strings of the read routes: percent-decoding, and the parameters every read shares
// (the consistency level) or the task listing takes (filters, sort, limit, cursor).
//
// Guarantees: every parameter a route does not know, gives twice, or gives a bad value is named
// in the errors (one 400 answer lists them all); '+' decodes as a space; values must decode to
// valid UTF-8. Nothing is defaulted silently except what API.md defaults.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/types.h"
#include "store/problem.h"
#include "store/task_query.h"

namespace taskraft::api {

class QueryParams {
 public:
  // Malformed percent-encoding or invalid UTF-8 is recorded in `errors`.
  QueryParams(std::string_view query, std::vector<store::FieldError>& errors);

  // The parameter's value, removed from the set (so leftovers() sees only unknown ones).
  std::optional<std::string> take(std::string_view name);
  void reject_leftovers();  // an error for every parameter not taken
  void error(std::string_view name, std::string message) { errors_.push_back({std::string(name), std::move(message)}); }

 private:
  std::multimap<std::string, std::string, std::less<>> values_;
  std::vector<store::FieldError>& errors_;
};

// ?consistency=linearizable (default) | stale, and ?min_index=N (implies stale unless
// consistency=linearizable is given, which is stronger).
struct ReadLevel {
  bool linearizable = true;
  raft::Index min_index = 0;
};
ReadLevel take_read_level(QueryParams& q);

// status, priority, tag, assignee, project, q, due_before, due_after, sort, limit, cursor.
store::TaskQuery take_task_query(QueryParams& q);

}  // namespace taskraft::api

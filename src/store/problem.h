// Error bodies as the API sends them: application/problem+json (RFC 9457).
//
// {"type","title","status","detail"} plus, for validation failures, "errors":[{"field","message"}].
// `type` is "urn:taskraft:problem:<slug>", stable for clients to switch on; `title` says the
// kind of problem and `detail` this occurrence. Rendering is deterministic (fixed member order),
// so every node produces byte-identical bodies for the same problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace taskraft::store {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

struct FieldError {
  std::string field;
  std::string message;
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

struct Problem {
  int status = 500;
  std::string slug;    // e.g. "not-found", "validation", "version-mismatch"
  std::string title;   // e.g. "Task not found"
  std::string detail;  // e.g. "task 42 does not exist"
  std::vector<FieldError> errors;
};

std::string problem_body(const Problem& p);

}  // namespace taskraft::store

// What applying one log entry answers to the client that proposed it.
//
// Decided at apply time from the log alone, so every node computes the same Outcome for the same
// entry; the leader sends it back as the HTTP response. http_status 0 means there is no client
// response: a no-op entry, or an entry that was already applied before (after a restart).
#pragma once

#include <string>
#include <string_view>

#include "store/problem.h"

namespace taskraft::store {

inline constexpr std::string_view kJsonContentType = "application/json";

struct Outcome {
  int http_status = 0;
  std::string body;          // JSON (the task, a user) or problem+json; empty for 204
  std::string content_type;  // kJsonContentType, kProblemContentType, or empty with no body

  friend bool operator==(const Outcome&, const Outcome&) = default;
};

inline Outcome json_outcome(int status, std::string body) {
  return {status, std::move(body), std::string(kJsonContentType)};
}

inline Outcome no_content_outcome() { return {204, "", ""}; }

inline Outcome problem_outcome(const Problem& p) {
  return {p.status, problem_body(p), std::string(kProblemContentType)};
}

}  // namespace taskraft::store

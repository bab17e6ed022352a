// The problems the API layer itself answers (the state machine's own, such as 404 for an
// unknown task at apply time or 412, come from the store as Outcomes).
//
// Each has a stable `type` slug (urn:taskraft:problem:<slug>) that clients may switch on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/problem.h"

namespace taskraft::api::problems {

// A client's text as a detail may quote it: printable ASCII only (others become '?'), at most
// 100 characters, so that an echo can never make the body invalid UTF-8.
std::string quote(std::string_view untrusted);

store::Problem malformed(std::string detail);                        // 400 malformed-request
store::Problem invalid_query(std::vector<store::FieldError> errors);  // 400 invalid-query
store::Problem unauthorized(std::string detail);                     // 401 unauthorized
store::Problem forbidden(std::string detail);                        // 403 forbidden
store::Problem not_found(std::string detail);                        // 404 not-found
store::Problem method_not_allowed(std::string detail);               // 405 method-not-allowed
store::Problem rejected(std::string detail);                         // 409 rejected (admin operations)
store::Problem too_large(std::string detail);                        // 413 payload-too-large
store::Problem validation(std::vector<store::FieldError> errors);    // 422 validation
store::Problem headers_too_large(std::string detail);                // 431 headers-too-large
store::Problem internal(std::string detail);                         // 500 internal
store::Problem unavailable(std::string detail);                      // 503 unavailable

}  // namespace taskraft::api::problems

// The API layer's problem catalog (see problems.h).
#include "api/problems.h"

namespace taskraft::api::problems {
namespace {

store::Problem make(int status, const char* slug, const char* title, std::string detail) {
  return {status, slug, title, std::move(detail), {}};
}

}  // namespace

std::string quote(std::string_view untrusted) {
  constexpr std::size_t kMax = 100;
  std::string out;
  for (char c : untrusted.substr(0, kMax)) out += c >= 0x20 && c <= 0x7e ? c : '?';
  if (untrusted.size() > kMax) out += "...";
  return out;
}

store::Problem malformed(std::string detail) { return make(400, "malformed-request", "Malformed request", std::move(detail)); }

store::Problem invalid_query(std::vector<store::FieldError> errors) {
  std::string detail = std::to_string(errors.size()) + (errors.size() == 1 ? " parameter is" : " parameters are") + " invalid";
  store::Problem p = make(400, "invalid-query", "Invalid query parameters", std::move(detail));
  p.errors = std::move(errors);
  return p;
}

store::Problem unauthorized(std::string detail) { return make(401, "unauthorized", "Unauthorized", std::move(detail)); }
store::Problem forbidden(std::string detail) { return make(403, "forbidden", "Forbidden", std::move(detail)); }
store::Problem not_found(std::string detail) { return make(404, "not-found", "Not found", std::move(detail)); }

store::Problem method_not_allowed(std::string detail) {
  return make(405, "method-not-allowed", "Method not allowed", std::move(detail));
}

store::Problem rejected(std::string detail) { return make(409, "rejected", "Rejected by the cluster", std::move(detail)); }
store::Problem too_large(std::string detail) { return make(413, "payload-too-large", "Payload too large", std::move(detail)); }

store::Problem validation(std::vector<store::FieldError> errors) {
  std::string detail = std::to_string(errors.size()) + (errors.size() == 1 ? " field breaks" : " fields break") + " the rules";
  store::Problem p = make(422, "validation", "Invalid request", std::move(detail));
  p.errors = std::move(errors);
  return p;
}

store::Problem headers_too_large(std::string detail) {
  return make(431, "headers-too-large", "Request header fields too large", std::move(detail));
}

store::Problem internal(std::string detail) { return make(500, "internal", "Internal error", std::move(detail)); }
store::Problem unavailable(std::string detail) { return make(503, "unavailable", "Service unavailable", std::move(detail)); }

}  // namespace taskraft::api::problems

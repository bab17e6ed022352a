// Helpers of the route handlers (see route_support.h).
#include "api/route_support.h"

#include <charconv>

#include "api/problems.h"

namespace taskraft::api {

std::optional<std::uint64_t> id_param(const Call& call, std::size_t n) {
  if (n >= call.params().size()) return std::nullopt;
  std::string_view text = call.params()[n];
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id == 0) return std::nullopt;
  return id;
}

std::optional<ReadLevel> read_params(const std::shared_ptr<Call>& call,
                                     const std::function<void(QueryParams&)>& more) {
  std::vector<store::FieldError> errors;
  QueryParams q(call->request().query(), errors);
  ReadLevel level = take_read_level(q);
  if (more) more(q);
  q.reject_leftovers();
  if (!errors.empty()) {
    call->reply(problem_response(problems::invalid_query(std::move(errors))));
    return std::nullopt;
  }
  return level;
}

}  // namespace taskraft::api

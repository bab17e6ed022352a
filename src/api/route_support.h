// What the route handlers (routes_*.cc) share beyond the pipeline: reading path ids, query
// parameters and bodies, answering their problems in one way.
//
// Guarantees: each helper either returns the value or answers the Call (and returns nothing), so
// a handler that gets nothing back simply returns; a Call is never left unanswered or answered twice.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>

#include "api/call.h"
#include "api/query_params.h"

namespace taskraft::api {

// The path's {n}-th parameter as a positive integer id, or nullopt (no answer given: what a bad
// id means, usually 404, is for the route to say).
std::optional<std::uint64_t> id_param(const Call& call, std::size_t n = 0);

// The read level and whatever `more` takes from the query string; answers 400 naming every bad
// or unknown parameter.
std::optional<ReadLevel> read_params(const std::shared_ptr<Call>& call,
                                     const std::function<void(QueryParams&)>& more = {});

// The value of a body parser (task_input.h, account_input.h, member_input.h), or answers its Problem.
template <typename T>
std::optional<T> take(const std::shared_ptr<Call>& call, std::variant<T, store::Problem> parsed) {
  if (auto* p = std::get_if<store::Problem>(&parsed)) {
    call->reply(problem_response(*p));
    return std::nullopt;
  }
  return std::move(std::get<T>(parsed));
}

}  // namespace taskraft::api

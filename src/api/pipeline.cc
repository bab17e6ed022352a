// The request pipeline (see pipeline.h).
#include "api/pipeline.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "api/call.h"
#include "api/context.h"
#include "api/problems.h"
#include "api/router.h"
#include "api/token.h"
#include "store/rules.h"

namespace taskraft::api {
namespace {

Response unauthorized(std::string detail, bool invalid_token) {
  Response r = problem_response(problems::unauthorized(std::move(detail)));
  r.headers.set("WWW-Authenticate", invalid_token ? "Bearer realm=\"taskraft\", error=\"invalid_token\""
                                                  : "Bearer realm=\"taskraft\"");
  return r;
}

// The caller's identity, or the 401 answer.
std::variant<Identity, Response> authenticate(const Context& ctx, const Request& request) {
  auto header = request.headers.get("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (!header || header->size() <= kScheme.size() || !iequals(header->substr(0, kScheme.size()), kScheme)) {
    return unauthorized("this call needs Authorization: Bearer <token> (POST /v1/auth/login gives one)", false);
  }
  auto verified = verify_token(ctx.key, header->substr(kScheme.size()), now_ms());
  if (auto* error = std::get_if<TokenError>(&verified)) return unauthorized(describe(*error), true);
  Claims& c = std::get<Claims>(verified);
  return Identity{std::move(c.user), c.role};
}

bool is_write(std::string_view method) { return method == "POST" || method == "PATCH" || method == "DELETE"; }

void run(const Context& ctx, const Route& route, const std::shared_ptr<Call>& call) {
  const Request& request = call->request();
  if (route.access != Access::kPublic) {
    auto who = authenticate(ctx, request);
    if (auto* r = std::get_if<Response>(&who)) return call->reply(std::move(*r));
    call->set_identity(std::move(std::get<Identity>(who)));
    if (route.access == Access::kAdmin && call->identity().role != store::Role::kAdmin) {
      return call->reply(problem_response(problems::forbidden("this call needs the admin role")));
    }
    auto key = request.headers.get("Idempotency-Key");
    if (is_write(route.method) && key && !store::valid_idempotency_key(*key)) {
      return call->reply(problem_response(
          problems::validation({{"Idempotency-Key", "must be 1 to 64 printable ASCII characters"}})));
    }
  }
  route.handler(ctx, call);
}

}  // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void handle(const Context& ctx, const Router& router, const std::shared_ptr<Call>& call) {
  const Request& request = call->request();
  Router::Match m = router.match(request.method, request.path());
  if (!m.route) {
    if (m.allowed.empty()) {
      return call->reply(problem_response(problems::not_found("no resource at " + problems::quote(request.path()))));
    }
    std::string allow;
    for (const std::string& method : m.allowed) allow += (allow.empty() ? "" : ", ") + method;
    Response r = problem_response(problems::method_not_allowed(problems::quote(request.method) + " is not served here; use " + allow));
    r.headers.set("Allow", allow);
    return call->reply(std::move(r));
  }
  call->set_route(m.route->pattern, std::move(m.params));
  try {
    run(ctx, *m.route, call);
  } catch (const std::exception& e) {
    // Only before the handler answered or handed the Call on: handlers throw nothing after that.
    spdlog::error("api: {} {}: {}", request.method, m.route->pattern, e.what());
    call->reply(problem_response(problems::internal("the request could not be handled")));
  }
}

void stamp_raft_headers(const Context& ctx, Response& r) {
  r.headers.set("X-Raft-Node", std::to_string(ctx.self));
  if (r.headers.get("X-Raft-Leader")) return;
  node::LeaderInfo leader = ctx.service.leader();
  if (leader.id != raft::kNoNode) r.headers.set("X-Raft-Leader", std::to_string(leader.id));
}

}  // namespace taskraft::api

// The operator routes: /healthz (alive), /readyz (Service::ready()), /metrics (Prometheus text)
// and /v1/openapi.json (the OpenAPI 3 document compiled into the binary, openapi.json).
//
// Guarantees: /healthz answers 200 whenever the process serves HTTP at all, touching nothing
// else; /readyz answers 200 exactly when Service::ready() holds, else 503 with Retry-After.
#include "api/call.h"
#include "api/context.h"
#include "api/metrics.h"
#include "api/openapi.h"
#include "api/problems.h"
#include "api/routes.h"

namespace taskraft::api {
namespace {

void healthz(const Context&, const std::shared_ptr<Call>& call) { call->reply(json_response(200, R"({"status":"ok"})")); }

void readyz(const Context& ctx, const std::shared_ptr<Call>& call) {
  if (ctx.service.ready()) return call->reply(json_response(200, R"({"status":"ready"})"));
  call->reply(problem_response(
      problems::unavailable("not ready: no leader is known or this node has not applied up to its commit index"),
      ctx.limits.retry_after_seconds));
}

void metrics_text(const Context& ctx, const std::shared_ptr<Call>& call) {
  call->reply({200, {}, "text/plain; version=0.0.4; charset=utf-8", ctx.metrics.render()});
}

void openapi(const Context&, const std::shared_ptr<Call>& call) { call->reply(json_response(200, std::string(openapi_json()))); }

}  // namespace

std::vector<Route> ops_routes() {
  return {
      {"GET", "/healthz", Access::kPublic, healthz},
      {"GET", "/readyz", Access::kPublic, readyz},
      {"GET", "/metrics", Access::kPublic, metrics_text},
      {"GET", "/v1/openapi.json", Access::kUser, openapi},
  };
}

}  // namespace taskraft::api

// Request metrics (see request_metrics.h).
#include "api/request_metrics.h"

#include <array>
#include <string>

#include "api/metrics.h"

namespace taskraft::api {

void record_request(metrics::Registry& registry, std::string_view route, std::string_view method, int status,
                    double seconds) {
  static constexpr std::array<std::string_view, 7> kMethods = {"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"};
  bool known = false;
  for (std::string_view m : kMethods) known = known || m == method;
  metrics::Labels labels = {
      {"route", std::string(route)}, {"method", known ? std::string(method) : "other"}, {"status", std::to_string(status)}};
  registry.counter("taskraft_http_requests_total", "HTTP requests answered, by route, method and status", labels).inc();
  registry
      .histogram("taskraft_http_request_duration_seconds", "Time from a request's arrival to its answer, in seconds",
                 metrics::latency_buckets(), labels)
      .observe(seconds);
}

}  // namespace taskraft::api

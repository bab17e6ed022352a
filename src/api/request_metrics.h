// The API's own metrics in the registry: requests counted and timed by route, method and status.
//
//   taskraft_http_requests_total{route,method,status}            counter
//   taskraft_http_request_duration_seconds{route,method,status}  histogram (latency_buckets)
//
// `route` is the route's pattern ("/v1/tasks/{id}"), "unmatched" for paths no route serves and
// "-" for requests that could not be read; methods outside the standard ones count as "other".
// Label sets therefore stay few, whatever clients send.
#pragma once

#include <string_view>

namespace taskraft::api {

namespace metrics {
class Registry;
}

void record_request(metrics::Registry& registry, std::string_view route, std::string_view method, int status,
                    double seconds);

}  // namespace taskraft::api

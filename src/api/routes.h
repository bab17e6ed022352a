// The route handlers of the API, one group per file (routes_<group>.cc), gathered into the
// route table by api_router() (routes.cc).
#pragma once

#include <vector>

#include "api/router.h"

namespace taskraft::api {

std::vector<Route> task_routes();     // /v1/tasks...
std::vector<Route> account_routes();  // /v1/auth/login, /v1/users
std::vector<Route> cluster_routes();  // /v1/cluster...
std::vector<Route> ops_routes();      // /healthz, /readyz, /metrics, /v1/openapi.json

}  // namespace taskraft::api

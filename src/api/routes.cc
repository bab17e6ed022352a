// The whole route table (see router.h, routes.h).
#include "api/routes.h"

namespace taskraft::api {

Router api_router() {
  std::vector<Route> all;
  for (auto group : {task_routes, account_routes, cluster_routes, ops_routes}) {
    for (Route& r : group()) all.push_back(std::move(r));
  }
  return Router(std::move(all));
}

}  // namespace taskraft::api

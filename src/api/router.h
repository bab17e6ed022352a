// The table of routes: which handler serves a method and path, and who may call it.
//
// Patterns are literal path segments and {name} segments matching any one non-empty segment
// (e.g. /v1/tasks/{id}/history). Guarantees: match() finds at most one route (patterns do not
// overlap, asserted at construction); a path served only under other methods yields the list of
// those methods (for 405 and Allow) rather than a 404.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace taskraft::api {

struct Context;
class Call;

enum class Access {
  kPublic,  // no token (login, health, metrics)
  kUser,    // any valid token
  kAdmin,   // a token of role admin
};

using Handler = void (*)(const Context&, const std::shared_ptr<Call>&);

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  Handler handler;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  struct Match {
    const Route* route = nullptr;      // null: no route for this method and path
    std::vector<std::string> params;   // the {name} segments, in order
    std::vector<std::string> allowed;  // with route null: the methods the path has
  };
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Every route of the API (routes_*.cc), in one table.
Router api_router();

}  // namespace taskraft::api

// Route matching (see router.h).
#include "api/router.h"

#include <cassert>

namespace taskraft::api {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() != '/') return {};  // not an absolute path: matches nothing
    path.remove_prefix(1);
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return out;
}

bool is_param(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }

// The {name} values when `path` fits `pattern`.
bool fits(std::string_view pattern, std::string_view path, std::vector<std::string>* params) {
  auto want = segments(pattern);
  auto have = segments(path);
  if (want.size() != have.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_param(want[i]) ? have[i].empty() : want[i] != have[i]) return false;
    if (is_param(want[i]) && params) params->emplace_back(have[i]);
  }
  return true;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    for (std::size_t j = i + 1; j < routes_.size(); ++j) {
      const Route& a = routes_[i];
      const Route& b = routes_[j];
      [[maybe_unused]] bool overlap =
          a.method == b.method && (fits(a.pattern, b.pattern, nullptr) || fits(b.pattern, a.pattern, nullptr));
      assert(!overlap && "overlapping routes");
    }
  }
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  for (const Route& r : routes_) {
    std::vector<std::string> params;
    if (!fits(r.pattern, path, &params)) continue;
    if (r.method == method) return {&r, std::move(params), {}};
    m.allowed.push_back(r.method);
  }
  return m;
}

}  // namespace taskraft::api

// problem+json rendering (see problem.h).
#include "store/problem.h"

#include <boost/json.hpp>

namespace taskraft::store {

std::string problem_body(const Problem& p) {
  boost::json::object o;
  o["type"] = "urn:taskraft:problem:" + p.slug;
  o["title"] = p.title;
  o["status"] = p.status;
  o["detail"] = p.detail;
  if (!p.errors.empty()) {
    boost::json::array errors;
    for (const FieldError& e : p.errors) errors.push_back({{"field", e.field}, {"message", e.message}});
    o["errors"] = std::move(errors);
  }
  return boost::json::serialize(o);
}

}  // namespace taskraft::store

// A logged-in conversation with the cluster: JSON calls with the bearer token, on top of the
// failover client.
//
// Guarantees:
// - login() posts the credentials (POST /v1/auth/login) and keeps the token for every later call.
// - call() sends JSON and returns the JSON of a 2xx answer (null for an empty body, e.g. 204);
//   any other answer throws ApiError with the server's problem, and a cluster that cannot answer
//   throws UnavailableError (failover_client.h).
// - Every POST, PATCH and DELETE carries a fresh Idempotency-Key, the same one on every retry of
//   that call, so a write retried on another node after a timeout happens once.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "cli/failover_client.h"

namespace taskraft::cli {

class ApiSession {
 public:
  explicit ApiSession(FailoverClient client) : client_(std::move(client)) {}

  void login(std::string_view username, std::string_view password);

  boost::json::value call(std::string method, std::string target, const boost::json::value* body = nullptr,
                          Headers extra = {});
  boost::json::value get(std::string target) { return call("GET", std::move(target)); }

  const std::string& token() const { return token_; }

 private:
  FailoverClient client_;
  std::string token_;
};

}  // namespace taskraft::cli

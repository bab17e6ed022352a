// JSON calls with a token (see api_session.h).
#include "cli/api_session.h"

#include <boost/json.hpp>

#include "cli/failure.h"
#include "cli/random_key.h"

namespace taskraft::cli {

void ApiSession::login(std::string_view username, std::string_view password) {
  boost::json::value body = {{"username", username}, {"password", password}};
  boost::json::value answer = call("POST", "/v1/auth/login", &body);
  const boost::json::value* token = answer.is_object() ? answer.get_object().if_contains("token") : nullptr;
  if (!token || !token->is_string()) throw UnavailableError("the login answer carries no token");
  token_ = std::string(token->get_string());
}

boost::json::value ApiSession::call(std::string method, std::string target, const boost::json::value* body,
                                    Headers extra) {
  HttpRequest request{std::move(method), std::move(target), std::move(extra), body ? boost::json::serialize(*body) : ""};
  request.headers.emplace_back("Accept", "application/json");
  if (!token_.empty()) request.headers.emplace_back("Authorization", "Bearer " + token_);
  bool write = request.method != "GET" && request.target != "/v1/auth/login";
  if (write) request.headers.emplace_back("Idempotency-Key", random_key());
  HttpResponse response = client_.send(request);
  if (response.status < 200 || response.status > 299) throw ApiError::from_response(response);
  if (response.body.empty()) return nullptr;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(response.body, ec);
  if (ec) throw UnavailableError("the answer to " + request.method + " " + request.target + " is not JSON");
  return v;
}

}  // namespace taskraft::cli

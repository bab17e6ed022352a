// An HTTP request and response as the API's routes see them: plain values, no Beast types.
//
// Only the connection layer (http_session.cc) and the forwarding client (forwarder.cc) convert
// to and from Beast; everything between them (pipeline, routes, validation) works on these, so
// it compiles without Asio and can be tested without sockets.
// Guarantees: header names compare case-insensitively; set_header replaces every earlier value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/outcome.h"
#include "store/problem.h"

namespace taskraft::api {

struct Header {
  std::string name;
  std::string value;
};

class Headers {
 public:
  std::optional<std::string_view> get(std::string_view name) const;  // the first value
  void set(std::string_view name, std::string value);                 // replaces every value
  void add(std::string_view name, std::string value);
  void remove(std::string_view name);
  const std::vector<Header>& all() const { return items_; }

 private:
  std::vector<Header> items_;
};

struct Request {
  std::string method;  // "GET", "POST" ...
  std::string target;  // as received: "/v1/tasks?status=todo"
  Headers headers;
  std::string body;

  std::string_view path() const;   // the target up to '?'
  std::string_view query() const;  // after '?', "" without one
};

struct Response {
  int status = 200;
  Headers headers;  // besides Content-Type
  std::string content_type;
  std::string body;
};

Response json_response(int status, std::string body);
Response outcome_response(const store::Outcome& o);
// application/problem+json; 503 answers also get Retry-After (seconds).
Response problem_response(const store::Problem& p, int retry_after_seconds = 1);

bool iequals(std::string_view a, std::string_view b);

}  // namespace taskraft::api

// HTTP requests and responses as the CLI handles them: plain values, free of Beast and Asio, so
// that every command and the benchmark can include this header cheaply.
//
// Guarantees: header names compare case-insensitively (header()); a response keeps every header
// the server sent, in order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskraft::cli {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string target;  // path and query, e.g. "/v1/tasks?limit=5"
  Headers headers;
  std::string body;    // sent with Content-Type: application/json when not empty

  // Whether sending it twice is harmless: a GET, or a write with an Idempotency-Key
  // (http_connection.h re-sends only such requests after a stale keep-alive connection).
  bool resendable() const;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const;
};

// The value of a header in `headers`, by case-insensitive name.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

}  // namespace taskraft::cli

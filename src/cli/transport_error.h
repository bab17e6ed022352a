// Why an HTTP request to a node got no answer, as both CLI connections report it
// (http_connection.h, async_http_connection.h), and when such a request may go once more.
#pragma once

#include <stdexcept>
#include <string>

#include "cli/http_message.h"

namespace taskraft::cli {

class TransportError : public std::runtime_error {
 public:
  enum class Kind { kConnect, kTimeout, kLost };
  TransportError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }
  static const char* name(Kind kind);  // "connect", "timeout", "lost"

 private:
  Kind kind_;
};

// Whether a request that failed with `kind` goes once more on a new connection: it was the first
// attempt, on a reused connection (which the server may have closed while it sat idle), the
// connection was lost rather than slow, and sending the request twice is harmless.
bool resend_on_new_connection(const HttpRequest& request, bool reused, int attempt, TransportError::Kind kind);

}  // namespace taskraft::cli

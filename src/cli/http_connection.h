// One kept-alive HTTP/1.1 connection to one node, used by one thread at a time (blocking calls).
// Beast and Asio stay in http_connection.cc.
//
// Guarantees:
// - send() connects when no connection is open, sends the request, and returns the whole
//   response, or throws TransportError saying whether the node could not be reached (kConnect),
//   did not answer within the timeout (kTimeout) or dropped the connection (kLost). After any
//   TransportError the connection is closed; the next send() opens a new one.
// - Every step (connect, write, read) is bounded by the timeout given to send().
// - A request that failed on a reused connection before any answer arrived (the server had closed
//   an idle keep-alive connection) is sent once more on a new connection, but only when it is
//   resendable (HttpRequest::resendable); otherwise the failure is reported.
// - The connection is closed when the server answers `Connection: close`.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>

#include "cli/http_message.h"
#include "cli/node_address.h"

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

class HttpConnection {
 public:
  explicit HttpConnection(NodeAddress node);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  HttpResponse send(const HttpRequest& request, std::chrono::milliseconds timeout);

  const NodeAddress& node() const { return node_; }

 private:
  struct Impl;
  NodeAddress node_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskraft::cli

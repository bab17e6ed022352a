// One kept-alive HTTP/1.1 connection to one node, used by one thread at a time (blocking calls):
// the task, user and cluster commands' connection. It is the event-loop connection
// (async_http_connection.h) run to completion on an io_context of its own, so both behave alike.
//
// Guarantees:
// - send() connects when no connection is open, sends the request, and returns the whole
//   response, or throws TransportError saying whether the node could not be reached (kConnect),
//   did not answer within the timeout (kTimeout) or dropped the connection (kLost), with the
//   node's URL and the reason in its message. After any TransportError the connection is
//   closed; the next send() opens a new one.
// - Connecting is bounded by the timeout given to send(), and so is sending the request and
//   reading the answer (together).
// - A request that failed on a reused connection before any answer arrived (the server had closed
//   an idle keep-alive connection) is sent once more on a new connection, but only when it is
//   resendable (HttpRequest::resendable); otherwise the failure is reported.
// - The connection is closed when the server answers `Connection: close`.
#pragma once

#include <chrono>
#include <memory>

#include "cli/http_message.h"
#include "cli/node_address.h"
#include "cli/transport_error.h"

namespace taskraft::cli {

class HttpConnection {
 public:
  explicit HttpConnection(NodeAddress node);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  HttpResponse send(const HttpRequest& request, std::chrono::milliseconds timeout);

  const NodeAddress& node() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskraft::cli

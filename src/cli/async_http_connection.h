// One kept-alive HTTP/1.1 connection to one node for an Asio event loop: the benchmark's clients
// (bench_http_execution.cc) keep one each, many of them on one thread, and the blocking
// HttpConnection (http_connection.h) runs one on an io_context of its own. Includes Asio's
// awaitable (not Beast): meant for the event-loop files only, not for headers included widely.
//
// Guarantees (a coroutine that never throws for transport failures):
// - send() connects when no connection is open, sends the request and returns the whole answer,
//   or says why there is none: the node could not be reached (kConnect), did not answer within
//   the timeout (kTimeout) or dropped the connection (kLost). After a failure the connection is
//   closed; the next send() opens a new one.
// - Connecting is bounded by the timeout, and so is sending the request and reading the answer
//   (together).
// - A request lost on a reused connection before it was answered (the server had closed the idle
//   keep-alive connection) goes once more on a new connection when it is resendable.
// - The connection is closed when the server answers `Connection: close`.
// - A request goes out as HTTP/1.1 with Host, User-Agent taskraft-cli, keep-alive, every header
//   of the request, and a body (Content-Type: application/json) when it has one; an answer comes
//   back with its status, every header in order and its body (at most 512 MiB).
// - All calls on the thread that runs the io_context; one send() at a time.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "cli/http_message.h"
#include "cli/node_address.h"
#include "cli/transport_error.h"

namespace boost::asio {
class io_context;
}

namespace taskraft::cli {

struct AsyncAnswer {
  std::optional<TransportError::Kind> failure;  // set when there is no answer
  std::string reason;                           // with a failure: what failed and why
  HttpResponse response;                        // the answer, when there is one
};

class AsyncHttpConnection {
 public:
  AsyncHttpConnection(boost::asio::io_context& io, NodeAddress node);
  ~AsyncHttpConnection();
  AsyncHttpConnection(const AsyncHttpConnection&) = delete;
  AsyncHttpConnection& operator=(const AsyncHttpConnection&) = delete;

  boost::asio::awaitable<AsyncAnswer> send(const HttpRequest& request, std::chrono::milliseconds timeout);

  const NodeAddress& node() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskraft::cli

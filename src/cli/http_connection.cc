// Blocking keep-alive HTTP client (see http_connection.h): each send() runs the event-loop
// connection's coroutine on this connection's own io_context until it is done.
#include "cli/http_connection.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

#include "cli/async_http_connection.h"

namespace taskraft::cli {

namespace asio = boost::asio;

struct HttpConnection::Impl {
  explicit Impl(NodeAddress node) : connection(io, std::move(node)) {}

  asio::io_context io;
  AsyncHttpConnection connection;
};

HttpConnection::HttpConnection(NodeAddress node) : impl_(std::make_unique<Impl>(std::move(node))) {}
HttpConnection::~HttpConnection() = default;

const NodeAddress& HttpConnection::node() const { return impl_->connection.node(); }

HttpResponse HttpConnection::send(const HttpRequest& request, std::chrono::milliseconds timeout) {
  std::optional<AsyncAnswer> answer;
  std::exception_ptr error;
  asio::co_spawn(impl_->io, impl_->connection.send(request, timeout), [&](std::exception_ptr e, AsyncAnswer a) {
    error = e;
    answer = std::move(a);
  });
  impl_->io.restart();
  impl_->io.run();
  if (error) std::rethrow_exception(error);
  if (answer->failure) throw TransportError(*answer->failure, node().url() + ": " + answer->reason);
  return std::move(answer->response);
}

}  // namespace taskraft::cli

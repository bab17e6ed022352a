// Blocking keep-alive HTTP client over Beast (see http_connection.h).
//
// Each step runs as an asynchronous operation on the connection's own io_context, driven to
// completion by run(): that is what lets beast::tcp_stream bound every step with a timeout.
#include "cli/http_connection.h"

#include <boost/beast/http.hpp>

#include "cli/http_beast.h"

namespace taskraft::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

const char* TransportError::name(Kind kind) {
  switch (kind) {
    case Kind::kConnect: return "connect";
    case Kind::kTimeout: return "timeout";
    case Kind::kLost: return "lost";
  }
  return "?";
}

bool resend_on_new_connection(const HttpRequest& request, bool reused, int attempt, TransportError::Kind kind) {
  return reused && attempt == 0 && kind == TransportError::Kind::kLost && request.resendable();
}

struct HttpConnection::Impl {
  asio::io_context io;
  KeptAliveStream link{io};

  // Runs what was started on `io` to completion; the result of the step is in `ec`.
  void drive() {
    io.restart();
    io.run();
  }

  void fail(beast::error_code ec, TransportError::Kind otherwise, const std::string& what, const NodeAddress& node) {
    link.close();
    throw TransportError(KeptAliveStream::failure(ec, otherwise), node.url() + ": " + what + ": " + ec.message());
  }

  void connect(const NodeAddress& node, std::chrono::milliseconds timeout) {
    beast::error_code ec = link.resolve(node);
    if (ec) fail(ec, TransportError::Kind::kConnect, "cannot resolve", node);
    link.stream.expires_after(timeout);
    link.stream.async_connect(*link.endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    drive();
    if (ec) fail(ec, TransportError::Kind::kConnect, "cannot connect", node);
    link.stream.socket().set_option(tcp::no_delay(true), ec);
    link.open = true;
  }

  HttpResponse exchange(const NodeAddress& node, const HttpRequest& request, std::chrono::milliseconds timeout) {
    auto req = to_beast(request, host_header(node));
    beast::error_code ec;
    link.stream.expires_after(timeout);
    http::async_write(link.stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    drive();
    if (ec) fail(ec, TransportError::Kind::kLost, "cannot send", node);

    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    link.stream.expires_after(timeout);
    http::async_read(link.stream, link.buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    drive();
    if (ec) fail(ec, TransportError::Kind::kLost, "no answer", node);

    bool keep_alive = parser.get().keep_alive();
    HttpResponse out = from_beast(parser.release());
    if (!keep_alive) link.close();
    return out;
  }
};

HttpConnection::HttpConnection(NodeAddress node) : node_(std::move(node)), impl_(std::make_unique<Impl>()) {}
HttpConnection::~HttpConnection() = default;

HttpResponse HttpConnection::send(const HttpRequest& request, std::chrono::milliseconds timeout) {
  for (int attempt = 0;; ++attempt) {
    bool reused = impl_->link.open;
    try {
      if (!reused) impl_->connect(node_, timeout);
      return impl_->exchange(node_, request, timeout);
    } catch (const TransportError& e) {
      if (!resend_on_new_connection(request, reused, attempt, e.kind())) throw;
    }
  }
}

}  // namespace taskraft::cli

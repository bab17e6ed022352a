// Blocking keep-alive HTTP client over Beast (see http_connection.h).
//
// Each step runs as an asynchronous operation on the connection's own io_context, driven to
// completion by run(): that is what lets beast::tcp_stream bound every step with a timeout.
#include "cli/http_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace taskraft::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxBody = 512ull << 20;

struct StepFailure {
  TransportError::Kind kind;
  std::string message;
};

}  // namespace

const char* TransportError::kind_name() const {
  switch (kind_) {
    case Kind::kConnect: return "connect";
    case Kind::kTimeout: return "timeout";
    case Kind::kLost: return "lost";
  }
  return "?";
}

struct HttpConnection::Impl {
  asio::io_context io;
  tcp::resolver resolver{io};
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  std::optional<tcp::resolver::results_type> endpoints;
  bool open = false;

  // Runs what was started on `io` to completion; the result of the step is in `ec`.
  void drive() {
    io.restart();
    io.run();
  }

  void fail(beast::error_code ec, TransportError::Kind otherwise, const std::string& what, const NodeAddress& node) {
    open = false;
    beast::error_code ignored;
    stream.socket().close(ignored);
    buffer.clear();
    auto kind = ec == beast::error::timeout ? TransportError::Kind::kTimeout : otherwise;
    throw TransportError(kind, node.url() + ": " + what + ": " + ec.message());
  }

  void connect(const NodeAddress& node, std::chrono::milliseconds timeout) {
    beast::error_code ec;
    if (!endpoints) {
      auto found = resolver.resolve(node.host, std::to_string(node.port), ec);
      if (ec) fail(ec, TransportError::Kind::kConnect, "cannot resolve", node);
      endpoints = std::move(found);
    }
    stream.expires_after(timeout);
    stream.async_connect(*endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    drive();
    if (ec) fail(ec, TransportError::Kind::kConnect, "cannot connect", node);
    stream.socket().set_option(tcp::no_delay(true), ec);
    open = true;
  }

  HttpResponse exchange(const NodeAddress& node, const HttpRequest& request, std::chrono::milliseconds timeout) {
    http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
    req.set(http::field::host, node.host + ":" + std::to_string(node.port));
    req.set(http::field::user_agent, "taskraft-cli");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    if (!request.body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = request.body;
    }
    req.keep_alive(true);
    req.prepare_payload();

    beast::error_code ec;
    stream.expires_after(timeout);
    http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    drive();
    if (ec) fail(ec, TransportError::Kind::kLost, "cannot send", node);

    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    stream.expires_after(timeout);
    http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    drive();
    if (ec) fail(ec, TransportError::Kind::kLost, "no answer", node);

    auto& res = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) close();
    return out;
  }

  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    buffer.clear();
    open = false;
  }
};

HttpConnection::HttpConnection(NodeAddress node) : node_(std::move(node)), impl_(std::make_unique<Impl>()) {}
HttpConnection::~HttpConnection() = default;

HttpResponse HttpConnection::send(const HttpRequest& request, std::chrono::milliseconds timeout) {
  for (int attempt = 0;; ++attempt) {
    bool reused = impl_->open;
    try {
      if (!impl_->open) impl_->connect(node_, timeout);
      return impl_->exchange(node_, request, timeout);
    } catch (const TransportError& e) {
      bool stale_keep_alive = reused && attempt == 0 && e.kind() == TransportError::Kind::kLost;
      if (!stale_keep_alive || !request.resendable()) throw;
    }
  }
}

}  // namespace taskraft::cli

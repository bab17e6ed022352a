// Kept-alive HTTP client for an event loop, over Beast (see async_http_connection.h).
#include "cli/async_http_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace taskraft::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Kind = TransportError::Kind;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint64_t kMaxResponseBody = 512ull << 20;
// Room for a whole typical answer, so that one read takes it (Beast reads at most the free
// capacity, 512 bytes at the least; a task's answer is about 600).
constexpr std::size_t kReadRoom = 16 * 1024;

http::request<http::string_body> to_beast(const HttpRequest& request, const std::string& host) {
  http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "taskraft-cli");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = request.body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  return req;
}

HttpResponse from_beast(http::response<http::string_body>&& response) {
  HttpResponse out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(response.body());
  return out;
}

}  // namespace

struct AsyncHttpConnection::Impl {
  Impl(asio::io_context& io, NodeAddress n)
      : node(std::move(n)), host(node.host + ":" + std::to_string(node.port)), stream(io) {
    buffer.reserve(kReadRoom);
  }

  NodeAddress node;
  std::string host;  // the Host header's value
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<tcp::resolver::results_type> endpoints;  // resolved on the first connect
  bool open = false;

  // Closes the connection and forgets what was buffered.
  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    buffer.clear();
    open = false;
  }

  // Closes the connection and says what failed: `what`, or a timeout when that is what ended it.
  AsyncAnswer fail(Kind what, std::string_view step, beast::error_code ec) {
    close();
    const Kind kind = ec == beast::error::timeout ? Kind::kTimeout : what;
    return AsyncAnswer{kind, std::string(step) + ": " + ec.message(), {}};
  }

  // Nothing when connected, else why not.
  asio::awaitable<std::optional<AsyncAnswer>> connect(std::chrono::milliseconds timeout) {
    beast::error_code ec;
    if (!endpoints) {
      // Blocking: node addresses are mostly numeric.
      auto found = tcp::resolver(stream.get_executor()).resolve(node.host, std::to_string(node.port), ec);
      if (ec) co_return fail(Kind::kConnect, "cannot resolve", ec);
      endpoints = std::move(found);
    }
    stream.expires_after(timeout);
    auto [connect_ec, endpoint] = co_await stream.async_connect(*endpoints, kTuple);
    if (connect_ec) co_return fail(Kind::kConnect, "cannot connect", connect_ec);
    stream.socket().set_option(tcp::no_delay(true), ec);
    open = true;
    co_return std::nullopt;
  }

  asio::awaitable<AsyncAnswer> exchange(const HttpRequest& request, std::chrono::milliseconds timeout) {
    if (!open) {
      if (auto failed = co_await connect(timeout)) co_return std::move(*failed);
    }
    auto req = to_beast(request, host);
    stream.expires_after(timeout);
    auto [write_ec, written] = co_await http::async_write(stream, req, kTuple);
    if (write_ec) co_return fail(Kind::kLost, "cannot send", write_ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (read_ec) co_return fail(Kind::kLost, "no answer", read_ec);
    bool keep_alive = parser.get().keep_alive();
    AsyncAnswer answer{std::nullopt, {}, from_beast(parser.release())};
    if (!keep_alive) close();
    co_return answer;
  }
};

AsyncHttpConnection::AsyncHttpConnection(asio::io_context& io, NodeAddress node)
    : impl_(std::make_unique<Impl>(io, std::move(node))) {}
AsyncHttpConnection::~AsyncHttpConnection() = default;

const NodeAddress& AsyncHttpConnection::node() const { return impl_->node; }

asio::awaitable<AsyncAnswer> AsyncHttpConnection::send(const HttpRequest& request, std::chrono::milliseconds timeout) {
  for (int attempt = 0;; ++attempt) {
    bool reused = impl_->open;
    AsyncAnswer answer = co_await impl_->exchange(request, timeout);
    if (!answer.failure || !resend_on_new_connection(request, reused, attempt, *answer.failure)) co_return answer;
  }
}

}  // namespace taskraft::cli

// Kept-alive HTTP client for an event loop, over Beast (see async_http_connection.h).
#include "cli/async_http_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include "cli/http_beast.h"

namespace taskraft::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Kind = TransportError::Kind;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

struct AsyncHttpConnection::Impl {
  Impl(asio::io_context& io, NodeAddress n) : node(std::move(n)), host(host_header(node)), link(io) {}

  NodeAddress node;
  std::string host;
  KeptAliveStream link;

  std::optional<Kind> fail(beast::error_code ec, Kind otherwise) {
    link.close();
    return KeptAliveStream::failure(ec, otherwise);
  }

  asio::awaitable<std::optional<Kind>> connect(std::chrono::milliseconds timeout) {
    if (link.resolve(node)) co_return Kind::kConnect;
    link.stream.expires_after(timeout);
    auto [ec, endpoint] = co_await link.stream.async_connect(*link.endpoints, kTuple);
    if (ec) co_return fail(ec, Kind::kConnect);
    link.stream.socket().set_option(tcp::no_delay(true), ec);
    link.open = true;
    co_return std::nullopt;
  }

  asio::awaitable<AsyncAnswer> exchange(const HttpRequest& request, std::chrono::milliseconds timeout) {
    if (!link.open) {
      if (auto failure = co_await connect(timeout)) co_return AsyncAnswer{failure, {}};
    }
    auto req = to_beast(request, host);
    link.stream.expires_after(timeout);
    auto [write_ec, written] = co_await http::async_write(link.stream, req, kTuple);
    if (write_ec) co_return AsyncAnswer{fail(write_ec, Kind::kLost), {}};
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    auto [read_ec, read] = co_await http::async_read(link.stream, link.buffer, parser, kTuple);
    if (read_ec) co_return AsyncAnswer{fail(read_ec, Kind::kLost), {}};
    bool keep_alive = parser.get().keep_alive();
    AsyncAnswer answer{std::nullopt, from_beast(parser.release())};
    if (!keep_alive) link.close();
    co_return answer;
  }
};

AsyncHttpConnection::AsyncHttpConnection(asio::io_context& io, NodeAddress node)
    : impl_(std::make_unique<Impl>(io, std::move(node))) {}
AsyncHttpConnection::~AsyncHttpConnection() = default;

const NodeAddress& AsyncHttpConnection::node() const { return impl_->node; }

asio::awaitable<AsyncAnswer> AsyncHttpConnection::send(const HttpRequest& request, std::chrono::milliseconds timeout) {
  for (int attempt = 0;; ++attempt) {
    bool reused = impl_->link.open;
    AsyncAnswer answer = co_await impl_->exchange(request, timeout);
    if (!answer.failure || !resend_on_new_connection(request, reused, attempt, *answer.failure)) co_return answer;
  }
}

}  // namespace taskraft::cli

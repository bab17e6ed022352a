// The scripted test server (see canned_http_server.h).
#include "canned_http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace taskraft::cli::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

struct CannedHttpServer::Impl {
  Impl(CannedHttpServer& s, std::function<CannedReply(const CannedRequest&)> script)
      : server(s), script(std::move(script)), acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {}

  CannedHttpServer& server;
  std::function<CannedReply(const CannedRequest&)> script;
  asio::io_context io{1};
  tcp::acceptor acceptor;
  std::thread thread;

  asio::awaitable<void> accept() {
    while (true) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) co_return;
      ++server.connections_;
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    asio::steady_timer timer(io);
    while (true) {
      http::request<http::string_body> req;
      auto [read_ec, n] = co_await http::async_read(socket, buffer, req, kTuple);
      if (read_ec) co_return;
      CannedReply reply;
      if (req.target() != "/healthz") {
        CannedRequest seen{++server.requests_, std::string(req.method_string()), std::string(req.target())};
        int now = ++server.in_flight_;
        for (int max = server.in_flight_max_; now > max && !server.in_flight_max_.compare_exchange_weak(max, now);) {
        }
        reply = script(seen);
        timer.expires_after(reply.delay);
        co_await timer.async_wait(kTuple);
        --server.in_flight_;
      }
      if (reply.hang_up) co_return;  // the socket closes with the coroutine
      http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
      res.set(http::field::content_type, "application/json");
      if (!reply.raft_index.empty()) res.set("X-Raft-Index", reply.raft_index);
      res.body() = reply.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [write_ec, written] = co_await http::async_write(socket, res, kTuple);
      if (write_ec || !req.keep_alive()) co_return;
    }
  }
};

CannedHttpServer::CannedHttpServer(std::function<CannedReply(const CannedRequest&)> script)
    : impl_(std::make_unique<Impl>(*this, std::move(script))) {
  asio::co_spawn(impl_->io, impl_->accept(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

CannedHttpServer::~CannedHttpServer() {
  impl_->io.stop();
  impl_->thread.join();
}

NodeAddress CannedHttpServer::address() const {
  return {"127.0.0.1", impl_->acceptor.local_endpoint().port()};
}

}  // namespace taskraft::cli::test

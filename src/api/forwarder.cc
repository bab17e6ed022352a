// Forwarding client with kept-alive connection pools (see forwarder.h).
#include "api/forwarder.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <vector>

#include "api/address.h"
#include "api/beast_convert.h"
#include "api/call.h"

namespace taskraft::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxIdlePerLeader = 32;
constexpr std::size_t kMaxAnswerBytes = 64 * 1024 * 1024;

struct Connection {
  explicit Connection(asio::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  node::Clock::time_point idle_since;
};

// True when the leader has closed (or reset) a pooled connection: a non-blocking read that does
// not say "would block" means end of stream, an error, or bytes nobody asked for.
bool closed_by_peer(Connection& c) {
  tcp::socket& s = c.stream.socket();
  boost::system::error_code ec;
  s.non_blocking(true, ec);
  char byte;
  s.read_some(asio::buffer(&byte, 1), ec);
  bool alive = ec == asio::error::would_block;
  s.non_blocking(false, ec);
  return !alive;
}

}  // namespace

struct Forwarder::Impl : std::enable_shared_from_this<Forwarder::Impl> {
  Impl(asio::io_context& io, raft::NodeId self) : io(io), self(self) {}

  asio::io_context& io;
  raft::NodeId self;
  std::mutex mu;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;

  std::unique_ptr<Connection> checkout(const std::string& addr) {
    std::lock_guard lock(mu);
    auto& pool = idle[addr];
    while (!pool.empty()) {
      std::unique_ptr<Connection> c = std::move(pool.back());
      pool.pop_back();
      if (node::Clock::now() - c->idle_since < kIdleLimit && !closed_by_peer(*c)) return c;
    }
    return nullptr;
  }

  void checkin(const std::string& addr, std::unique_ptr<Connection> c) {
    c->idle_since = node::Clock::now();
    std::lock_guard lock(mu);
    auto& pool = idle[addr];
    if (pool.size() < kMaxIdlePerLeader) pool.push_back(std::move(c));
  }

  asio::awaitable<std::unique_ptr<Connection>> connect(const HostPort& to, node::Deadline deadline,
                                                       boost::system::error_code& ec) {
    auto c = std::make_unique<Connection>(io);
    tcp::resolver resolver(io);
    auto [rec, endpoints] = co_await resolver.async_resolve(to.host, std::to_string(to.port), kTuple);
    if ((ec = rec)) co_return nullptr;
    c->stream.expires_at(deadline);
    auto [cec, endpoint] = co_await c->stream.async_connect(endpoints, kTuple);
    if ((ec = cec)) co_return nullptr;
    c->stream.socket().set_option(tcp::no_delay(true), ec);
    co_return c;
  }

  asio::awaitable<void> exchange(std::shared_ptr<Impl> self_ref, Request request, std::string addr,
                                 node::Deadline deadline, Done done) {
    auto to = split_host_port(addr);
    if (!to) {
      done("the leader's address '" + addr + "' is not host:port");
      co_return;
    }
    request.headers.set(kForwardedHeader, std::to_string(self));
    auto out = to_beast(request, addr);
    bool may_resend = request.headers.get("Idempotency-Key").has_value();
    for (int attempt = 0;; ++attempt) {
      boost::system::error_code ec;
      std::unique_ptr<Connection> c = attempt == 0 ? checkout(addr) : nullptr;
      bool reused = c != nullptr;
      if (!c) c = co_await connect(*to, deadline, ec);
      if (!c) {
        done("cannot connect to " + addr + ": " + ec.message());
        co_return;
      }
      c->stream.expires_at(deadline);
      auto [wec, written] = co_await http::async_write(c->stream, out, kTuple);
      http::response_parser<http::string_body> parser;
      parser.body_limit(kMaxAnswerBytes);
      if (!wec) {
        auto [rec, read] = co_await http::async_read(c->stream, c->buffer, parser, kTuple);
        ec = rec;
      } else {
        ec = wec;
      }
      if (!ec) {
        auto answer = parser.release();
        bool keep = answer.keep_alive();
        done(from_beast(std::move(answer)));
        if (keep) checkin(addr, std::move(c));
        co_return;
      }
      bool nothing_back = !parser.got_some();
      if (reused && nothing_back && may_resend && ec != beast::error::timeout) continue;
      done(ec == beast::error::timeout ? "no answer by the request deadline" : ec.message());
      co_return;
    }
  }
};

Forwarder::Forwarder(asio::io_context& io, raft::NodeId self) : impl_(std::make_shared<Impl>(io, self)) {}

Forwarder::~Forwarder() = default;

void Forwarder::forward(const Request& request, const std::string& http_addr, node::Deadline deadline, Done done) {
  asio::co_spawn(impl_->io, impl_->exchange(impl_, request, http_addr, deadline, std::move(done)), asio::detached);
}

void Forwarder::close_idle() {
  std::lock_guard lock(impl_->mu);
  impl_->idle.clear();
}

}  // namespace taskraft::api

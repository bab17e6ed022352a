// The REST API server: owns the io threads, the query threads, the forwarding client and the
// listening socket, and wires them into the Context every route uses (see server.h).
#include "api/server.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include "api/address.h"
#include "api/context.h"
#include "api/forwarder.h"
#include "api/hmac.h"
#include "api/http_session.h"
#include "api/metrics.h"
#include "api/query_pool.h"
#include "api/router.h"

namespace taskraft::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

template <typename T>
T checked(std::optional<T> value, const std::string& what) {
  if (!value) throw std::invalid_argument(what);
  return std::move(*value);
}

const Limits& checked_limits(const Limits& l) {
  if (l.io_threads < 1 || l.query_threads < 1) throw std::invalid_argument("api: io_threads and query_threads must be >= 1");
  if (l.max_connections < 1 || l.max_body_bytes < 1 || l.max_header_bytes < 1) {
    throw std::invalid_argument("api: connection, header and body limits must be >= 1");
  }
  return l;
}

}  // namespace

class Server::Impl {
 public:
  explicit Impl(Config c)
      : config(std::move(c)),
        limits(checked_limits(config.limits)),
        listen(checked(split_host_port(config.http_addr), "api: --http-addr '" + config.http_addr + "' is not host:port")),
        key(config.token_key.empty() ? throw std::invalid_argument("api: the token signing key is empty")
                                     : config.token_key),
        queries(config.mysql, limits.query_threads),
        forwarder(io, config.node_id),
        router(api_router()),
        ctx{config.service, queries, forwarder, key, limits, config.node_id, registry,
            [this](std::function<void()> fn) { asio::post(io, std::move(fn)); }} {
    registry.gauge_function("taskraft_http_open_connections", "Client connections open now", {},
                            [this] { return static_cast<double>(sessions.size()); });
  }

  void start() {
    tcp::resolver resolver(io);
    auto endpoint = resolver.resolve(listen.host, std::to_string(listen.port))->endpoint();
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();
    queries.start();
    asio::co_spawn(io, accept_loop(), asio::detached);
    for (int i = 0; i < limits.io_threads; ++i) {
      threads.emplace_back([this] {
        pthread_setname_np(pthread_self(), "http-io");
        io.run();
      });
    }
    spdlog::info("api: node {} serves HTTP on {}:{}", config.node_id, listen.host, port);
  }

  void stop() {
    std::promise<void> closed;
    asio::post(io, [&] {
      boost::system::error_code ec;
      acceptor.close(ec);
      closed.set_value();
    });
    closed.get_future().wait();
    sessions.close_idle();
    auto cap = std::chrono::steady_clock::now() + limits.request_deadline + limits.write_timeout + std::chrono::seconds(2);
    if (!sessions.wait_empty(cap)) {
      spdlog::warn("api: {} connections still busy at shutdown; closing them", sessions.size());
      sessions.close_all();
      sessions.wait_empty(std::chrono::steady_clock::now() + std::chrono::seconds(2));
    }
    forwarder.close_idle();
    work.reset();
    io.stop();
    for (std::thread& t : threads) t.join();
    threads.clear();
    queries.stop();
    spdlog::info("api: node {} stopped serving HTTP", config.node_id);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      asio::any_io_executor strand = asio::make_strand(io);
      auto [ec, socket] = co_await acceptor.async_accept(strand, asio::as_tuple(asio::use_awaitable));
      if (!acceptor.is_open()) co_return;
      if (ec) {
        // Out of descriptors and the like: wait a moment rather than spin.
        spdlog::warn("api: accept failed: {}", ec.message());
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      bool full = sessions.size() >= limits.max_connections;
      start_session(std::move(socket), ctx, router, sessions, full);
    }
  }

  Config config;
  Limits limits;
  HostPort listen;
  // Sessions outlive the io_context's handlers (declared first: destroyed last).
  SessionSet sessions;
  metrics::Registry registry;
  Hmac key;
  QueryPool queries;
  asio::io_context io{config.limits.io_threads};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  tcp::acceptor acceptor{io};
  Forwarder forwarder;
  Router router;
  Context ctx;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

Server::Server(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}

Server::~Server() { stop(); }

void Server::start() {
  assert(!impl_->started && "Server::start() is called once");
  impl_->started = true;
  impl_->start();
}

void Server::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  impl_->stop();
}

std::uint16_t Server::port() const { return impl_->port; }

metrics::Registry& Server::metrics() { return impl_->registry; }

}  // namespace taskraft::api

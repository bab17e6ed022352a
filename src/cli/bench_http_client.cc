// One event-loop client of the REST API benchmark (see bench_http_client.h).
#include "cli/bench_http_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <algorithm>

#include "cli/failure.h"

namespace taskraft::cli {

namespace asio = boost::asio;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kConnectPause{50};
}  // namespace

HttpClient::HttpClient(asio::io_context& io, unsigned index, unsigned count, NodeAddress node,
                       const HttpBenchConfig& config, const SeedPool& pool)
    : index_(index),
      config_(config),
      connection_(io, std::move(node)),
      requests_(index, count, config, pool),
      timer_(io) {}

asio::awaitable<HttpResponse> HttpClient::answer(const HttpRequest& request) {
  AsyncAnswer a = co_await connection_.send(request, config_.timeout);
  if (a.failure) {
    throw UnavailableError(connection_.node().url() + ": " + a.reason + " (" + request.method + " " +
                           request.target + ")");
  }
  co_return std::move(a.response);
}

asio::awaitable<void> HttpClient::seed() {
  // Requests are named variables, not temporaries, across a co_await: g++ 12 destroys some
  // temporaries of a co_await expression twice.
  HttpRequest healthz{"GET", "/healthz", {}, ""};
  HttpResponse health = co_await answer(healthz);
  if (health.status != 200) throw UnavailableError(connection_.node().url() + " is not healthy");
  for (std::size_t i = 0, share = requests_.seed_share(); i < share; ++i) {
    HttpRequest create = requests_.create();
    HttpResponse r = co_await answer(create);
    if (r.status != 201) throw ApiError::from_response(r);
    seeded_.ids.push_back(boost::json::parse(r.body).at("id").to_number<std::uint64_t>());
    if (auto index = r.header("X-Raft-Index")) {
      seeded_.last_index = std::max(seeded_.last_index, static_cast<std::uint64_t>(std::stoull(std::string(*index))));
    }
  }
}

asio::awaitable<void> HttpClient::settle() {
  HttpRequest probe = requests_.settle_probe();
  for (int attempt = 0;; ++attempt) {
    HttpResponse r = co_await answer(probe);
    if (r.status == 200) co_return;
    if (r.status != 503 || attempt == 20) throw ApiError::from_response(r);
  }
}

asio::awaitable<void> HttpClient::run(Pace& pace, Tally& tally) {
  Turns turns(pace, index_);
  while (auto from = turns.next()) {
    if (*from > BenchClock::now()) co_await pause_until(*from);
    HttpOp op = requests_.pick();
    HttpRequest request = requests_.build(op);
    AsyncAnswer a = co_await connection_.send(request, config_.timeout);
    tally.record(outcome(op, a.response.status, a.failure), BenchClock::now() - *from);
    if (a.failure == TransportError::Kind::kConnect) co_await pause_until(BenchClock::now() + kConnectPause);
  }
}

asio::awaitable<void> HttpClient::pause_until(BenchClock::time_point at) {
  timer_.expires_at(at);
  co_await timer_.async_wait(kTuple);
}

}  // namespace taskraft::cli

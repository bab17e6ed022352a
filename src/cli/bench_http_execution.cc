// Event-loop execution of the REST API benchmark (see bench_http_execution.h).
#include "cli/bench_http_execution.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cassert>
#include <functional>

#include "cli/bench_http_client.h"
#include "cli/thread_group.h"

namespace taskraft::cli {
namespace {

namespace asio = boost::asio;

// One thread's event loop and the clients on it.
struct Lane {
  asio::io_context io{1};
  std::vector<std::unique_ptr<HttpClient>> clients;
};

class HttpExecution : public Execution {
 public:
  HttpExecution(HttpBenchConfig config, std::vector<NodeAddress> nodes, unsigned threads) : config_(std::move(config)) {
    assert(!nodes.empty() && threads > 0);
    std::size_t count = nodes.size();
    std::size_t lanes = std::min<std::size_t>(threads, count);
    for (std::size_t l = 0; l < lanes; ++l) lanes_.push_back(std::make_unique<Lane>());
    for (std::size_t i = 0; i < count; ++i) {
      Lane& lane = *lanes_[i % lanes];
      lane.clients.push_back(std::make_unique<HttpClient>(lane.io, static_cast<unsigned>(i), static_cast<unsigned>(count),
                                                          std::move(nodes[i]), config_, pool_));
    }
  }

  std::size_t clients() const override {
    std::size_t n = 0;
    for (const auto& lane : lanes_) n += lane->clients.size();
    return n;
  }
  std::size_t threads() const override { return lanes_.size(); }

  void prepare() override {
    on_threads(lanes_.size(), [this](std::size_t l) { run_lane(*lanes_[l], [](HttpClient& c) { return c.seed(); }); });
    for (const auto& lane : lanes_) {
      for (const auto& c : lane->clients) {
        pool_.ids.insert(pool_.ids.end(), c->seeded().ids.begin(), c->seeded().ids.end());
        pool_.last_index = std::max(pool_.last_index, c->seeded().last_index);
      }
    }
    if (pool_.ids.empty()) return;
    on_threads(lanes_.size(), [this](std::size_t l) { run_lane(*lanes_[l], [](HttpClient& c) { return c.settle(); }); });
  }

  void run(std::size_t thread, Pace& pace, Tally& tally) override {
    run_lane(*lanes_[thread], [&](HttpClient& c) { return c.run(pace, tally); });
  }

 private:
  // Runs `step` of every client of `lane` on the calling thread until all have ended; re-throws
  // the first failure.
  static void run_lane(Lane& lane, const std::function<asio::awaitable<void>(HttpClient&)>& step) {
    std::exception_ptr failure;
    for (const auto& c : lane.clients) {
      asio::co_spawn(lane.io, step(*c), [&failure](std::exception_ptr e) {
        if (e && !failure) failure = e;
      });
    }
    lane.io.restart();
    lane.io.run();
    if (failure) std::rethrow_exception(failure);
  }

  HttpBenchConfig config_;
  SeedPool pool_;
  std::vector<std::unique_ptr<Lane>> lanes_;
};

}  // namespace

std::unique_ptr<Execution> http_execution(HttpBenchConfig config, std::vector<NodeAddress> client_nodes,
                                          unsigned threads) {
  return std::make_unique<HttpExecution>(std::move(config), std::move(client_nodes), threads);
}

}  // namespace taskraft::cli

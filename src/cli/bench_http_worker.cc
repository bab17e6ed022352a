// The REST API workloads (see bench_http_worker.h).
#include "cli/bench_http_worker.h"

#include <boost/json.hpp>
#include <algorithm>
#include <cassert>
#include <mutex>
#include <random>
#include <thread>

#include "cli/bench_task.h"
#include "cli/failure.h"
#include "cli/http_connection.h"
#include "cli/random_key.h"

namespace taskraft::cli {

struct SeedPool {
  std::mutex mutex;
  std::vector<std::uint64_t> ids;
  std::uint64_t last_index = 0;  // the highest Raft index among the seeding creates
};

namespace {

constexpr const char* kPriorities[] = {"low", "medium", "high", "urgent"};

class HttpWorker : public Worker {
 public:
  HttpWorker(unsigned index, unsigned count, NodeAddress node, const HttpBenchConfig& config, SeedPool& pool)
      : index_(index), count_(count), connection_(std::move(node)), config_(config), pool_(pool), rng_(index + 1),
        description_(bench_description(config.payload)),
        pick_(config.weights.begin(), config.weights.end()) {}

  void prepare() override {
    HttpResponse health = connection_.send({"GET", "/healthz", {}, ""}, config_.timeout);
    if (health.status != 200) throw UnavailableError(connection_.node().url() + " is not healthy");
    std::size_t share = config_.seed_tasks / count_ + (index_ < config_.seed_tasks % count_ ? 1 : 0);
    std::vector<std::uint64_t> ids;
    std::uint64_t last_index = 0;
    for (std::size_t i = 0; i < share; ++i) {
      HttpResponse r = connection_.send(create_request(), config_.timeout);
      if (r.status != 201) throw ApiError::from_response(r);
      ids.push_back(boost::json::parse(r.body).at("id").to_number<std::uint64_t>());
      if (auto index = r.header("X-Raft-Index")) {
        last_index = std::max(last_index, static_cast<std::uint64_t>(std::stoull(std::string(*index))));
      }
    }
    std::lock_guard lock(pool_.mutex);
    pool_.ids.insert(pool_.ids.end(), ids.begin(), ids.end());
    pool_.last_index = std::max(pool_.last_index, last_index);
  }

  // A follower may not have applied the last seeded tasks yet: a stale get there would be a
  // 404 that counts as an error. Wait (min_index) until this worker's node has them all.
  void settle() override {
    if (pool_.ids.empty()) return;
    std::string target =
        "/v1/tasks/" + std::to_string(pool_.ids.front()) + "?min_index=" + std::to_string(pool_.last_index);
    for (int attempt = 0;; ++attempt) {
      HttpResponse r = connection_.send(authorized("GET", target), config_.timeout);
      if (r.status == 200) return;
      if (r.status != 503 || attempt == 20) throw ApiError::from_response(r);
    }
  }

  Outcome run_one() override {
    auto op = static_cast<HttpOp>(pick_(rng_));
    Outcome out{static_cast<unsigned>(op), 1, {}};
    HttpRequest request = build(op);
    try {
      HttpResponse r = connection_.send(request, config_.timeout);
      int expected = op == HttpOp::kCreate ? 201 : 200;
      if (r.status != expected) out.error = "http " + std::to_string(r.status);
    } catch (const TransportError& e) {
      out.error = e.kind_name();
      if (e.kind() == TransportError::Kind::kConnect) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return out;
  }

 private:
  HttpRequest authorized(std::string method, std::string target, std::string body = "") const {
    HttpRequest r{std::move(method), std::move(target), {{"Authorization", "Bearer " + config_.token}}, std::move(body)};
    if (config_.idempotency_keys && r.method != "GET") r.headers.emplace_back("Idempotency-Key", random_key());
    return r;
  }

  HttpRequest create_request() {
    boost::json::object body = bench_task_body(bench_title(index_, ++created_), description_);
    return authorized("POST", "/v1/tasks", boost::json::serialize(body));
  }

  std::string random_task() {
    assert(!pool_.ids.empty());  // the command seeds tasks for every workload that reads them
    std::uniform_int_distribution<std::size_t> any(0, pool_.ids.size() - 1);
    return "/v1/tasks/" + std::to_string(pool_.ids[any(rng_)]);
  }

  HttpRequest build(HttpOp op) {
    switch (op) {
      case HttpOp::kCreate:
        return create_request();
      case HttpOp::kUpdate: {
        boost::json::object body{{"priority", kPriorities[++updated_ % 4]}, {"description", description_}};
        return authorized("PATCH", random_task(), boost::json::serialize(body));
      }
      case HttpOp::kGet:
        return authorized("GET", random_task());
      case HttpOp::kGetStale:
        return authorized("GET", random_task() + "?consistency=stale");
      case HttpOp::kList:
        return authorized("GET", "/v1/tasks?limit=" + std::to_string(config_.list_limit));
      case HttpOp::kCount:
        break;
    }
    throw std::logic_error("no such operation");
  }

  unsigned index_, count_;
  HttpConnection connection_;
  const HttpBenchConfig& config_;
  SeedPool& pool_;
  std::mt19937_64 rng_;
  std::string description_;
  std::discrete_distribution<unsigned> pick_;
  std::uint64_t created_ = 0, updated_ = 0;
};

}  // namespace

std::vector<std::string> http_op_names() { return {"create", "update", "get", "get-stale", "list"}; }

std::optional<HttpOp> parse_http_op(std::string_view name) {
  auto names = http_op_names();
  for (unsigned i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<HttpOp>(i);
  }
  return std::nullopt;
}

HttpWorkerSet::HttpWorkerSet(HttpBenchConfig config) : config_(std::move(config)), pool_(std::make_unique<SeedPool>()) {}
HttpWorkerSet::~HttpWorkerSet() = default;

std::unique_ptr<Worker> HttpWorkerSet::make(unsigned index, unsigned count, NodeAddress node) {
  return std::make_unique<HttpWorker>(index, count, std::move(node), config_, *pool_);
}

}  // namespace taskraft::cli

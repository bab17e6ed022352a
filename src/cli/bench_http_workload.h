// The cluster workloads of `taskraft bench`: which request each operation sends and which answer
// counts as success. Free of any transport: the event loop (bench_http_execution.h) sends them.
//
// Workloads: create (POST /v1/tasks, bench_task.h), update (PATCH of a random existing task:
// new priority and description), get (GET /v1/tasks/{id}, linearizable), get-stale (the same
// with consistency=stale), list (GET /v1/tasks?limit=L), and mix (each operation drawn at random
// with the given weights).
//
// Guarantees:
// - An operation succeeds only with the status API.md promises for it (201 for create, 200 for
//   the others); any other answer is an error "http <status>", a transport failure an error
//   "connect", "timeout" or "lost" (outcome()).
// - Each client's requests come from its own HttpRequests (its own random generator and
//   counters), so clients share nothing while the clock runs; titles are unique per run.
// - Workloads that read or change existing tasks draw them from the SeedPool, filled before the
//   clock starts and read-only after.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cli/bench_tally.h"
#include "cli/http_connection.h"
#include "cli/http_message.h"

namespace taskraft::cli {

enum class HttpOp : unsigned { kCreate, kUpdate, kGet, kGetStale, kList, kCount };

std::vector<std::string> http_op_names();  // indexed by HttpOp
std::optional<HttpOp> parse_http_op(std::string_view name);

struct HttpBenchConfig {
  std::array<unsigned, static_cast<unsigned>(HttpOp::kCount)> weights{};  // one nonzero: a single workload
  std::size_t payload = 200;
  std::string token;
  std::chrono::milliseconds timeout{10'000};
  bool idempotency_keys = false;
  unsigned list_limit = 20;
  std::size_t seed_tasks = 0;  // 0: the workload needs no existing tasks
};

// The tasks created before the clock starts, and the highest Raft index among their creates.
struct SeedPool {
  std::vector<std::uint64_t> ids;
  std::uint64_t last_index = 0;
};

// The requests of client `index` of `count`.
class HttpRequests {
 public:
  HttpRequests(unsigned index, unsigned count, const HttpBenchConfig& config, const SeedPool& pool);

  HttpOp pick();                 // the next operation, drawn with the workload's weights
  HttpRequest build(HttpOp op);  // its request
  HttpRequest create();          // a create (also used for seeding)
  std::size_t seed_share() const;  // how many of the seed tasks this client creates
  // A read that succeeds on a node once it has applied every seeded task.
  HttpRequest settle_probe() const;

 private:
  HttpRequest authorized(std::string method, std::string target, std::string body = "") const;
  std::string random_task();

  unsigned index_, count_;
  const HttpBenchConfig& config_;
  const SeedPool& pool_;
  std::string authorization_;
  std::mt19937_64 rng_;
  std::string description_;
  std::discrete_distribution<unsigned> pick_;
  std::uint64_t created_ = 0, updated_ = 0;
};

// The outcome of `op` answered with `status`, or failed with `failure`.
Outcome outcome(HttpOp op, int status, std::optional<TransportError::Kind> failure);

}  // namespace taskraft::cli

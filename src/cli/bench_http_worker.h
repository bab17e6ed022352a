// The cluster workloads of `taskraft bench`: one client of the REST API per worker, each on its
// own kept-alive connection to one node.
//
// Workloads: create (POST /v1/tasks, bench_task.h), update (PATCH of a random existing task:
// new priority and description), get (GET /v1/tasks/{id}, linearizable), get-stale (the same
// with consistency=stale), list (GET /v1/tasks?limit=L), and mix (each operation drawn at random
// with the given weights).
//
// Guarantees:
// - An operation succeeds only with the status API.md promises for it (201 for create, 200 for
//   the others); any other answer is an error "http <status>", a transport failure an error
//   "connect", "timeout" or "lost". A failed operation is not retried (the runner counts it);
//   after a connection failure the worker pauses 50 ms before its next operation, so an
//   unreachable node does not turn the run into a loop of instant errors.
// - Workloads that read or change existing tasks first create `seed_tasks` of them (shared out
//   among the workers in prepare(), before the clock starts); a failed seed create fails the run.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/bench_worker.h"
#include "cli/node_address.h"

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

// The ids of the tasks the workers created in prepare(); read-only once the clock starts.
struct SeedPool;

class HttpWorkerSet {
 public:
  explicit HttpWorkerSet(HttpBenchConfig config);
  ~HttpWorkerSet();
  // Worker `index` of `count`, talking to `node`.
  std::unique_ptr<Worker> make(unsigned index, unsigned count, NodeAddress node);

 private:
  HttpBenchConfig config_;
  std::unique_ptr<SeedPool> pool_;
};

}  // namespace taskraft::cli

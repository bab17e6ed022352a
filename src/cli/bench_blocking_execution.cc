// Thread-per-client execution (see bench_blocking_execution.h).
#include "cli/bench_blocking_execution.h"

#include <cassert>
#include <thread>

#include "cli/thread_group.h"

namespace taskraft::cli {

BlockingExecution::BlockingExecution(std::vector<std::unique_ptr<Worker>> workers) : workers_(std::move(workers)) {
  assert(!workers_.empty());
}

void BlockingExecution::prepare() {
  on_threads(workers_.size(), [this](std::size_t i) { workers_[i]->prepare(); });
}

void BlockingExecution::run(std::size_t thread, Pace& pace, Tally& tally) {
  Worker& worker = *workers_[thread];
  Turns turns(pace, thread);
  while (auto from = turns.next()) {
    std::this_thread::sleep_until(*from);
    Outcome outcome = worker.run_one();
    tally.record(outcome, BenchClock::now() - *from);
  }
}

}  // namespace taskraft::cli

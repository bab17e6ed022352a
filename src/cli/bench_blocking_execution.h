// Executing a benchmark with blocking clients: each Worker on a thread of its own (the MariaDB
// baseline, whose client library only blocks).
//
// Guarantees: the workers are prepared in parallel, each on a thread of its own; during the run
// worker i is client i of the pace, sleeps until each operation is due and records it in its
// own tally (one thread per client, so no locks between them).
#pragma once

#include <memory>
#include <vector>

#include "cli/bench_runner.h"
#include "cli/bench_worker.h"

namespace taskraft::cli {

class BlockingExecution : public Execution {
 public:
  explicit BlockingExecution(std::vector<std::unique_ptr<Worker>> workers);

  std::size_t clients() const override { return workers_.size(); }
  std::size_t threads() const override { return workers_.size(); }
  void prepare() override;
  void run(std::size_t thread, Pace& pace, Tally& tally) override;

 private:
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace taskraft::cli

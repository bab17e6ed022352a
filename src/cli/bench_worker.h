// One blocking benchmark client (the MariaDB baseline's): what the thread-per-client execution
// (bench_blocking_execution.h) asks of it.
//
// Guarantees expected of a Worker: prepare() runs once, before the clock starts (connecting,
// creating what the workload needs); run_one() performs one operation and says which operation
// it was, how many rows it carried (`units`), and, when it failed, why (a short, stable reason
// such as "mysql 1213", used to count errors by kind). A worker is used by one thread at a time.
#pragma once

#include "cli/bench_tally.h"

namespace taskraft::cli {

class Worker {
 public:
  virtual ~Worker() = default;
  virtual void prepare() {}
  virtual Outcome run_one() = 0;
};

}  // namespace taskraft::cli

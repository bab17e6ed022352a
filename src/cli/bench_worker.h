// One benchmark client: what the runner (bench_runner.h) asks of it, whatever it talks to
// (the cluster's REST API or a plain MariaDB).
//
// Guarantees expected of a Worker: prepare() runs once, before the clock starts (connecting,
// logging in, creating the data a workload reads); settle() runs once after every worker has
// prepared, still before the clock (waiting until what all of them created can be read where
// this worker reads it); run_one() performs one operation and says
// which operation it was, how many rows or tasks it carried (`units`), and, when it failed, why
// (a short, stable reason such as "http 503" or "timeout", used to count errors by kind).
// A worker is used by one thread only.
#pragma once

#include <string>
#include <vector>

namespace taskraft::cli {

struct Outcome {
  unsigned op = 0;     // index into the runner's operation names
  unsigned units = 1;  // tasks or rows the operation carried
  std::string error;   // empty when the operation succeeded
};

class Worker {
 public:
  virtual ~Worker() = default;
  virtual void prepare() {}
  virtual void settle() {}
  virtual Outcome run_one() = 0;
};

}  // namespace taskraft::cli

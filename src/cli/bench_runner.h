// The benchmark's clock, counting and progress, shared by every way of executing operations
// (a thread per blocking client for the MariaDB baseline, an event loop for the REST API).
//
// Guarantees:
// - The execution is prepared (connections, seed data) before the clock starts; a prepare()
//   that throws stops the run (the exception is re-thrown).
// - Latency is measured per operation with the steady clock, from its start, or in an open loop
//   from its due time (bench_pace.h: no coordinated omission).
// - The run stops at `duration` or after `requests` operations in total, whichever is set; every
//   operation started is finished and counted. Failed operations are counted by reason, never
//   dropped, and their latency is kept out of the success figures.
// - While it runs, a line on stderr every second gives the operations per second so far.
// - The figures include the CPU time (user + system) of this process during the run.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cli/bench_pace.h"
#include "cli/bench_tally.h"

namespace taskraft::cli {

// How the operations of a run are executed: on threads() threads, each owning some clients.
class Execution {
 public:
  virtual ~Execution() = default;
  virtual std::size_t clients() const = 0;
  virtual std::size_t threads() const = 0;
  // Once, before the clock starts.
  virtual void prepare() = 0;
  // On thread `thread` (one call per thread, all at once): runs that thread's clients, each
  // taking Turns(pace, client) and recording every operation in `tally`, until all are done.
  virtual void run(std::size_t thread, Pace& pace, Tally& tally) = 0;
};

struct RunFigures {
  std::vector<std::string> op_names;
  std::vector<OpFigures> ops;              // by operation
  double elapsed_s = 0;
  std::vector<double> units_per_second;    // one entry per second of the run
  double cpu_s = 0;                        // user + system CPU of this process during the run
};

RunFigures run_bench(const RunPlan& plan, Execution& execution, std::vector<std::string> op_names);

}  // namespace taskraft::cli

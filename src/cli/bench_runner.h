// The benchmark's clock and threads: N workers, each on its own thread, in a closed loop (each
// sends its next operation when the previous one is answered) or an open loop (operations start
// on a fixed schedule, `rate` per second in total).
//
// Guarantees:
// - Latency is measured per operation with the steady clock: from the moment it was sent, or in
//   an open loop from the moment it was due, so a server that falls behind shows up as latency
//   rather than as a lower offered rate (no coordinated omission).
// - The run stops at `duration` or after `requests` operations in total, whichever is set; every
//   operation started is finished and counted. Failed operations are counted by reason, never
//   dropped, and their latency is kept out of the success figures.
// - While it runs, a line on stderr every second gives the operations per second so far.
// - Workers are prepared in parallel before the clock starts; a prepare() that throws stops the
//   run (the exception is re-thrown).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/bench_worker.h"

namespace taskraft::cli {

struct RunPlan {
  std::string label;                  // shown in progress lines
  std::optional<double> duration_s;   // one of these two is set
  std::optional<std::uint64_t> requests;
  std::optional<double> rate;         // operations per second over all workers: open loop
};

struct OpFigures {
  std::vector<std::int64_t> latencies_ns;  // of the successful operations
  std::uint64_t ok = 0;
  std::uint64_t units = 0;                 // carried by the successful operations
  std::map<std::string, std::uint64_t> errors;
};

struct RunFigures {
  std::vector<std::string> op_names;
  std::vector<OpFigures> ops;              // by operation
  double elapsed_s = 0;
  std::vector<double> units_per_second;    // one entry per second of the run
  double cpu_s = 0;                        // user + system CPU of this process during the run
};

RunFigures run_bench(const RunPlan& plan, std::vector<std::unique_ptr<Worker>>& workers,
                     std::vector<std::string> op_names);

}  // namespace taskraft::cli

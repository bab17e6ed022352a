// The figures of a benchmark run, for people (stdout) and for plotting (--json FILE).
//
// Guarantees: both show the same numbers: per operation and in total the successful operations,
// units (tasks or rows) per second over the measured time, latency mean/p50/p90/p99/p99.9/max
// and the errors by reason; plus the per-second series and the generator's own CPU time, so a
// reader can tell whether the load generator was the bottleneck. write_json throws UsageError
// when the file cannot be written.
#pragma once

#include <string>

#include "cli/bench_runner.h"

namespace taskraft::cli {

struct RunSetup {
  std::string workload;  // "create", ..., or "baseline-mysql"
  std::string target;    // the nodes, or the DSN without its password
  unsigned clients = 0;
  std::size_t payload = 0;
  unsigned batch = 1;               // rows per transaction (baseline)
  std::optional<double> rate;       // open loop
};

void print_report(const RunSetup& setup, RunFigures& figures);
void write_json(const std::string& path, const RunSetup& setup, RunFigures& figures);

}  // namespace taskraft::cli

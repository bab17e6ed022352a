// Counting of one benchmark thread's operations (see bench_tally.h).
#include "cli/bench_tally.h"

namespace taskraft::cli {

void OpFigures::merge(const OpFigures& other) {
  latencies_ns.insert(latencies_ns.end(), other.latencies_ns.begin(), other.latencies_ns.end());
  ok += other.ok;
  units += other.units;
  for (const auto& [reason, n] : other.errors) errors[reason] += n;
}

void Tally::record(const Outcome& outcome, std::chrono::nanoseconds latency) {
  if (outcome.op >= ops_.size()) ops_.resize(outcome.op + 1);
  OpFigures& f = ops_[outcome.op];
  if (outcome.error.empty()) {
    f.latencies_ns.push_back(latency.count());
    ++f.ok;
    f.units += outcome.units;
    units_.fetch_add(outcome.units, std::memory_order_relaxed);
  } else {
    ++f.errors[outcome.error];
    errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace taskraft::cli

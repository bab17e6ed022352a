// What the operations of one benchmark thread came to: the per-operation figures the report is
// made of, and two running totals the progress line reads while the run goes on.
//
// Guarantees: record() keeps a successful operation's latency, count and units, and counts a
// failed one by its reason only (its latency stays out of the figures); it is called by the one
// thread that owns the tally, while units() and errors() may be read from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace taskraft::cli {

// One finished operation.
struct Outcome {
  unsigned op = 0;     // index into the runner's operation names
  unsigned units = 1;  // tasks or rows the operation carried
  std::string error;   // empty when the operation succeeded; else a short, stable reason ("http 503")
};

struct OpFigures {
  std::vector<std::int64_t> latencies_ns;  // of the successful operations
  std::uint64_t ok = 0;
  std::uint64_t units = 0;                 // carried by the successful operations
  std::map<std::string, std::uint64_t> errors;

  void merge(const OpFigures& other);
};

class alignas(64) Tally {
 public:
  void record(const Outcome& outcome, std::chrono::nanoseconds latency);

  std::uint64_t units() const { return units_.load(std::memory_order_relaxed); }
  std::uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  const std::vector<OpFigures>& ops() const { return ops_; }  // by operation; once the thread ended

 private:
  std::atomic<std::uint64_t> units_{0};
  std::atomic<std::uint64_t> errors_{0};
  std::vector<OpFigures> ops_;
};

}  // namespace taskraft::cli

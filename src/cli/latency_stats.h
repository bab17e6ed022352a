// Latency figures of a set of samples: count, mean, p50, p90, p99, p99.9 and max.
//
// Guarantees: percentiles are exact nearest-rank values of the samples (the smallest sample
// with at least p% of the samples at or below it), not estimates from buckets; an empty set
// gives all zeros.
#pragma once

#include <cstdint>
#include <vector>

namespace taskraft::cli {

struct LatencyStats {
  std::uint64_t count = 0;
  double mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
};

// Sorts `samples_ns` in place.
LatencyStats latency_stats(std::vector<std::int64_t>& samples_ns);

}  // namespace taskraft::cli

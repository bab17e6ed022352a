// Nearest-rank percentiles (see latency_stats.h).
#include "cli/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace taskraft::cli {

LatencyStats latency_stats(std::vector<std::int64_t>& samples) {
  LatencyStats s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  auto ms = [](std::int64_t ns) { return static_cast<double>(ns) / 1e6; };
  auto rank = [&](double p) {
    auto k = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
    return ms(samples[std::clamp<std::size_t>(k, 1, samples.size()) - 1]);
  };
  s.count = samples.size();
  s.mean_ms = ms(std::accumulate(samples.begin(), samples.end(), std::int64_t{0})) / static_cast<double>(samples.size());
  s.p50_ms = rank(50);
  s.p90_ms = rank(90);
  s.p99_ms = rank(99);
  s.p999_ms = rank(99.9);
  s.max_ms = ms(samples.back());
  return s;
}

}  // namespace taskraft::cli

// Nearest-rank percentiles (see latency_stats.h).
#include "cli/latency_stats.h"

#include <algorithm>
#include <numeric>

namespace taskraft::cli {

LatencyStats latency_stats(std::vector<std::int64_t>& samples) {
  LatencyStats s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  auto ms = [](std::int64_t ns) { return static_cast<double>(ns) / 1e6; };
  // The nearest rank of p per mille, in integers: no rounding error at 99.9 %.
  auto rank = [&](std::size_t per_mille) {
    std::size_t k = (per_mille * samples.size() + 999) / 1000;
    return ms(samples[std::clamp<std::size_t>(k, 1, samples.size()) - 1]);
  };
  s.count = samples.size();
  s.mean_ms = ms(std::accumulate(samples.begin(), samples.end(), std::int64_t{0})) / static_cast<double>(samples.size());
  s.p50_ms = rank(500);
  s.p90_ms = rank(900);
  s.p99_ms = rank(990);
  s.p999_ms = rank(999);
  s.max_ms = ms(samples.back());
  return s;
}

}  // namespace taskraft::cli

// Nearest-rank percentiles (cli/latency_stats.h).
#include "cli/latency_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace taskraft::cli {
namespace {

TEST(LatencyStats, NearestRankOfOneToThousandMilliseconds) {
  std::vector<std::int64_t> samples;
  for (int ms = 1000; ms >= 1; --ms) samples.push_back(ms * 1'000'000LL);
  std::shuffle(samples.begin(), samples.end(), std::mt19937(7));
  LatencyStats s = latency_stats(samples);
  EXPECT_EQ(s.count, 1000u);
  EXPECT_DOUBLE_EQ(s.p50_ms, 500);
  EXPECT_DOUBLE_EQ(s.p90_ms, 900);
  EXPECT_DOUBLE_EQ(s.p99_ms, 990);
  EXPECT_DOUBLE_EQ(s.p999_ms, 999);
  EXPECT_DOUBLE_EQ(s.max_ms, 1000);
  EXPECT_DOUBLE_EQ(s.mean_ms, 500.5);
}

TEST(LatencyStats, OneSampleIsEveryPercentileAndNoneIsZero) {
  std::vector<std::int64_t> one{2'500'000};
  LatencyStats s = latency_stats(one);
  EXPECT_DOUBLE_EQ(s.p50_ms, 2.5);
  EXPECT_DOUBLE_EQ(s.p999_ms, 2.5);
  std::vector<std::int64_t> none;
  EXPECT_EQ(latency_stats(none).count, 0u);
  EXPECT_DOUBLE_EQ(latency_stats(none).max_ms, 0);
}

}  // namespace
}  // namespace taskraft::cli

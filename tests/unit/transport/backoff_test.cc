// Reconnect delays: growth, cap, jitter range and reset.
#include "transport/backoff.h"

#include <gtest/gtest.h>

namespace taskraft::transport {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheCapWithJitterInTheUpperHalf) {
  Backoff low(milliseconds(100), milliseconds(1000), [](std::uint32_t) { return 0u; });
  Backoff high(milliseconds(100), milliseconds(1000), [](std::uint32_t n) { return n - 1; });
  const std::vector<long> bases = {100, 200, 400, 800, 1000, 1000};
  for (long base : bases) {
    EXPECT_EQ(low.next(), milliseconds(base / 2));
    EXPECT_EQ(high.next(), milliseconds(base));
  }
}

TEST(Backoff, ResetStartsOver) {
  Backoff b(milliseconds(50), milliseconds(400), [](std::uint32_t n) { return n - 1; });
  b.next();
  b.next();
  b.reset();
  EXPECT_EQ(b.next(), milliseconds(50));
}

TEST(Backoff, DefaultRandomStaysInRange) {
  Backoff b(milliseconds(64), milliseconds(64));
  for (int i = 0; i < 200; ++i) {
    const auto d = b.next();
    EXPECT_GE(d, milliseconds(32));
    EXPECT_LE(d, milliseconds(64));
  }
}

}  // namespace
}  // namespace taskraft::transport

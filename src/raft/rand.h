// A small seeded pseudo-random generator (splitmix64) for the Raft core's election timeouts.
//
// The core must be deterministic: the same seed gives the same sequence on every platform and
// every run, so a simulator failure replays from its seed. No randomness device, no clock.
// below(n) is exactly uniform (rejection sampling, no modulo bias).
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>

namespace taskraft::raft {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) {
    assert(n > 0);
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - (max % n + 1) % n;  // largest multiple of n, minus one
    std::uint64_t x = next();
    while (x > limit) x = next();
    return x % n;
  }

 private:
  std::uint64_t state_;
};

}  // namespace taskraft::raft

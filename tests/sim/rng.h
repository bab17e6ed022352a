// Deterministic pseudo-random numbers for the simulator: xoshiro256** seeded through splitmix64.
//
// Every random choice of a simulated run flows from its one 64-bit seed through instances of this
// class, each component drawing from its own stream (fork), so that a seed replays a run exactly
// and a change in how one component draws does not shift the choices of the others. No global
// state, no clocks, no std::random_device.
#pragma once

#include <cassert>
#include <cstdint>

namespace taskraft::sim {

// The splitmix64 finalizer: a strong 64-bit mixer, also used to derive sub-seeds.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed = mix64(seed);
      s = seed;
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n must be positive.
  std::uint64_t below(std::uint64_t n) {
    assert(n > 0);
    return next() % n;  // the modulo bias is irrelevant for test-case generation
  }

  // Uniform in [lo, hi], both inclusive.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    assert(lo <= hi);
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  bool chance(double p) { return unit() < p; }

  // An independent stream for a named purpose, derived without disturbing this one.
  Rng fork(std::uint64_t stream) const { return Rng(mix64(s_[0] ^ mix64(stream))); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace taskraft::sim

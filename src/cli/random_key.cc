// Random idempotency keys (see random_key.h).
#include "cli/random_key.h"

#include <random>

namespace taskraft::cli {

std::string random_key() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^ (std::uint64_t(std::random_device{}()) << 32)};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 16; ++i, bits >>= 4) key[half * 16 + i] = kHex[bits & 15];
  }
  return key;
}

}  // namespace taskraft::cli

// Reconnect delays: exponential backoff with jitter.
//
// Guarantees: the n-th delay since the last reset lies in [d/2, d] where d = min(max, initial * 2^n),
// so delays never exceed `max`, grow quickly to it while a peer stays unreachable, and peers that
// lost a node at the same moment do not all retry in lock-step. Pure: the randomness is injected.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace taskraft::transport {

class Backoff {
 public:
  // uniform(n) returns a value in [0, n); the default draws from libsodium's CSPRNG.
  using Uniform = std::function<std::uint32_t(std::uint32_t)>;

  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, Uniform uniform = {});

  std::chrono::milliseconds next();
  void reset();

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
  Uniform uniform_;
};

}  // namespace taskraft::transport

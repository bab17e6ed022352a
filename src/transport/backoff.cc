// Implements backoff.h.
#include "transport/backoff.h"

#include <sodium.h>

#include <algorithm>
#include <cassert>

namespace taskraft::transport {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, Uniform uniform)
    : initial_(initial), max_(max), current_(initial), uniform_(std::move(uniform)) {
  assert(initial_.count() > 0 && initial_ <= max_);
  if (!uniform_) uniform_ = [](std::uint32_t n) { return randombytes_uniform(n); };
}

std::chrono::milliseconds Backoff::next() {
  const auto d = current_;
  current_ = std::min(max_, current_ * 2);
  const auto half = d / 2;
  const auto span = static_cast<std::uint32_t>((d - half).count()) + 1;
  const auto jitter = std::chrono::milliseconds(uniform_(span));
  assert(jitter.count() < span);
  return half + jitter;
}

void Backoff::reset() { current_ = initial_; }

}  // namespace taskraft::transport

// What every connection of one Transport shares: the options, our own peer IP, and the counters
// that connections update for TransportStats.
//
// Internal. Guarantees: it outlives every connection (the Transport destroys its io_context, and
// with it every pending connection, before the context).
#pragma once

#include <atomic>
#include <cstdint>

#include "transport/net.h"
#include "transport/transport.h"

namespace taskraft::transport {

struct LinkContext {
  TransportOptions options;
  asio::ip::address self_ip;
  std::atomic<std::uint64_t> failed_handshakes{0};
  std::atomic<std::uint64_t> protocol_errors{0};
  std::atomic<std::uint64_t> dropped_misaddressed{0};

  Clock::time_point idle_deadline() const { return Clock::now() + options.idle_timeout; }
};

}  // namespace taskraft::transport

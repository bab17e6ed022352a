// The Asio vocabulary used inside the transport, and the errors its connections fail with.
//
// Internal: only the transport's own .cc files include this, so the node that includes
// transport.h never compiles Asio.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <stdexcept>

#include "transport/peer_address.h"

namespace taskraft::transport {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
template <typename T = void>
using Awaitable = asio::awaitable<T>;

// The network failed us: connection refused, reset, closed, timed out.
class LinkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The peer broke the protocol after authenticating: malformed or oversized frame, wrong frame type.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The peer could not prove it belongs to the cluster, or is not the node we meant to reach.
class HandshakeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline tcp::endpoint to_endpoint(const PeerAddress& a) {
  return tcp::endpoint(asio::ip::make_address(a.ip), a.port);
}

}  // namespace taskraft::transport

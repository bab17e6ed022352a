// Test helper: plain POSIX sockets that play a misbehaving or hand-driven peer against a Transport,
// and a bare listener that shows where a Transport's connections come from.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "raft/types.h"
#include "transport/frame.h"
#include "transport/handshake.h"

namespace taskraft::transport::testing {

struct RawFrame {
  FrameType type;
  std::string payload;
};

class RawSocket {
 public:
  explicit RawSocket(int fd) : fd_(fd) {}
  RawSocket(RawSocket&& other) noexcept;
  RawSocket& operator=(RawSocket&&) = delete;
  ~RawSocket();

  // Connects from `from_ip` (port chosen by the system) to ip:port; aborts the test on failure.
  static RawSocket connect(const std::string& from_ip, const std::string& to_ip, std::uint16_t port);

  // Sends everything it can; false if the peer has already closed.
  bool send(std::string_view bytes);
  // Reads one frame, or nullopt on timeout, close or a header of more than 64 MiB.
  std::optional<RawFrame> read_frame(std::chrono::milliseconds timeout);
  // True if the peer closes (EOF or reset) within `timeout`; anything it sends meanwhile is discarded.
  bool closed_within(std::chrono::milliseconds timeout);

  // The client side of the handshake, as node `self` to node `server`. True if welcomed.
  bool handshake(std::string_view secret, raft::NodeId self, raft::NodeId server, Purpose purpose);
  bool send_frame(FrameType type, std::string_view payload);

 private:
  bool read_exact(char* out, std::size_t n, std::chrono::steady_clock::time_point deadline);
  int fd_;
};

class RawListener {
 public:
  explicit RawListener(const std::string& ip);
  ~RawListener();
  std::uint16_t port() const { return port_; }
  std::string address() const { return ip_ + ":" + std::to_string(port_); }

  struct Accepted {
    RawSocket socket;
    std::string remote_ip;
  };
  std::optional<Accepted> accept(std::chrono::milliseconds timeout);

 private:
  std::string ip_;
  int fd_;
  std::uint16_t port_ = 0;
};

// A port on `ip` where nothing listens (bound, read, released).
std::uint16_t unused_port(const std::string& ip);

}  // namespace taskraft::transport::testing

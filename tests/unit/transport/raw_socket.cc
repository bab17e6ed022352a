// Implements raw_socket.h with POSIX calls (no Asio, so the tests compile quickly).
#include "raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "transport/byte_order.h"

namespace taskraft::transport::testing {
namespace {

sockaddr_in make_addr(const std::string& ip, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) ADD_FAILURE() << "bad test IP " << ip;
  return a;
}

std::uint16_t bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

RawSocket::RawSocket(RawSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RawSocket::~RawSocket() {
  if (fd_ >= 0) ::close(fd_);
}

RawSocket RawSocket::connect(const std::string& from_ip, const std::string& to_ip, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in from = make_addr(from_ip, 0);
  const sockaddr_in to = make_addr(to_ip, port);
  EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from), 0) << std::strerror(errno);
  EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0) << std::strerror(errno);
  return RawSocket(fd);
}

bool RawSocket::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawSocket::send_frame(FrameType type, std::string_view payload) { return send(make_frame(type, payload)); }

bool RawSocket::read_exact(char* out, std::size_t n, std::chrono::steady_clock::time_point deadline) {
  while (n > 0) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
    const ssize_t got = ::recv(fd_, out, n, 0);
    if (got <= 0) return false;
    out += got;
    n -= static_cast<std::size_t>(got);
  }
  return true;
}

std::optional<RawFrame> RawSocket::read_frame(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char header[kFrameHeaderBytes];
  if (!read_exact(header, sizeof header, deadline)) return std::nullopt;
  const auto length = get_be<std::uint32_t>(std::string_view(header, sizeof header), 0);
  if (length == 0 || length > (64u << 20)) return std::nullopt;
  RawFrame frame{static_cast<FrameType>(header[4]), std::string(length - 1, '\0')};
  if (!read_exact(frame.payload.data(), frame.payload.size(), deadline)) return std::nullopt;
  return frame;
}

bool RawSocket::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
    if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
  }
}

bool RawSocket::handshake(std::string_view secret, raft::NodeId self, raft::NodeId server, Purpose purpose) {
  constexpr std::chrono::seconds kTimeout{5};
  const Hello hello{purpose, self, random_nonce()};
  if (!send_frame(FrameType::kHello, encode_hello(hello))) return false;
  const auto frame = read_frame(kTimeout);
  if (!frame || frame->type != FrameType::kChallenge) return false;
  const auto challenge = decode_challenge(frame->payload);
  if (!challenge || challenge->server != server) return false;
  const Proof proof =
      compute_proof(secret, Role::kClient, purpose, self, server, hello.client_nonce, challenge->server_nonce);
  if (!send_frame(FrameType::kProof, encode_proof(proof))) return false;
  const auto welcome = read_frame(kTimeout);
  return welcome && welcome->type == FrameType::kWelcome;
}

RawListener::RawListener(const std::string& ip) : ip_(ip), fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  const sockaddr_in a = make_addr(ip, 0);
  EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  EXPECT_EQ(::listen(fd_, 16), 0);
  port_ = bound_port(fd_);
}

RawListener::~RawListener() { ::close(fd_); }

std::optional<RawListener::Accepted> RawListener::accept(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  sockaddr_in remote{};
  socklen_t len = sizeof remote;
  const int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&remote), &len, SOCK_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char ip[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &remote.sin_addr, ip, sizeof ip);
  return Accepted{RawSocket(fd), ip};
}

std::uint16_t unused_port(const std::string& ip) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in a = make_addr(ip, 0);
  EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
  const std::uint16_t port = bound_port(fd);
  ::close(fd);
  return port;
}

}  // namespace taskraft::transport::testing

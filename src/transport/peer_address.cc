// Implements peer_address.h with inet_pton, so it needs no networking library.
#include "transport/peer_address.h"

#include <arpa/inet.h>

#include <charconv>

namespace taskraft::transport {

std::optional<PeerAddress> parse_peer_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);

  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  const std::string ip(host);

  unsigned char buf[16];
  const bool v4 = !bracketed && inet_pton(AF_INET, ip.c_str(), buf) == 1;
  const bool v6 = bracketed && inet_pton(AF_INET6, ip.c_str(), buf) == 1;
  if (!v4 && !v6) return std::nullopt;

  unsigned port = 0;
  const auto* end = port_text.data() + port_text.size();
  const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || ec != std::errc() || ptr != end || port > 65535) return std::nullopt;
  return PeerAddress{ip, static_cast<std::uint16_t>(port)};
}

}  // namespace taskraft::transport

// Peer addresses as operators write them: "ip:port", with IPv6 in brackets ("[::1]:7000").
//
// Guarantees: a parsed address has a literal IPv4 or IPv6 address (no host names: a node's peer
// address is also the IP its connections originate from, so it must be exact) and a port in
// 0..65535 (0 only makes sense for listening, where the system picks a free port).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskraft::transport {

struct PeerAddress {
  std::string ip;
  std::uint16_t port = 0;
};

std::optional<PeerAddress> parse_peer_address(std::string_view text);

}  // namespace taskraft::transport

// "host:port" addresses as the cluster's configuration spells them (API.md: http_addr, peer_addr).
//
// Guarantees: split_host_port accepts a non-empty host (a name, an IPv4 address, or an IPv6
// address in brackets) and a decimal port 0-65535, and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskraft::api {

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

std::optional<HostPort> split_host_port(std::string_view text);

}  // namespace taskraft::api

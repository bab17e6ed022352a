// The address of one taskraft node's REST API, as the user writes it: `http://host:port`
// (the scheme may be left out), and lists of them separated by commas.
//
// Guarantees: parse_nodes accepts only http addresses with a host and a port in 1-65535, drops
// a trailing slash, and rejects an empty list; url() gives the canonical `http://host:port`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace taskraft::cli {

struct NodeAddress {
  std::string host;
  unsigned port = 0;

  std::string url() const { return "http://" + host + ":" + std::to_string(port); }
  friend bool operator==(const NodeAddress&, const NodeAddress&) = default;
};

// One address, or nullopt when it is not http://host:port (or host:port).
std::optional<NodeAddress> parse_node(std::string_view text);

// A comma-separated list, or the message saying which entry is wrong.
std::variant<std::vector<NodeAddress>, std::string> parse_nodes(std::string_view text);

}  // namespace taskraft::cli

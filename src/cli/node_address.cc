// Parsing of node addresses (see node_address.h).
#include "cli/node_address.h"

#include <charconv>

namespace taskraft::cli {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<NodeAddress> parse_node(std::string_view text) {
  text = trim(text);
  if (text.starts_with("http://")) text.remove_prefix(7);
  if (text.find("://") != std::string_view::npos) return std::nullopt;  // https and others
  if (text.ends_with('/')) text.remove_suffix(1);
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon), port_text = text.substr(colon + 1);
  if (host.find_first_of("/?#@ ") != std::string_view::npos) return std::nullopt;
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return std::nullopt;
  }
  return NodeAddress{std::string(host), port};
}

std::variant<std::vector<NodeAddress>, std::string> parse_nodes(std::string_view text) {
  std::vector<NodeAddress> nodes;
  while (true) {
    auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    if (!item.empty()) {
      auto node = parse_node(item);
      if (!node) return "not a node address (http://host:port): '" + std::string(item) + "'";
      nodes.push_back(std::move(*node));
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (nodes.empty()) return std::string("no node addresses given");
  return nodes;
}

}  // namespace taskraft::cli

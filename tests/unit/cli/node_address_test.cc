// Node addresses as users type them (cli/node_address.h).
#include "cli/node_address.h"

#include <gtest/gtest.h>

namespace taskraft::cli {
namespace {

TEST(NodeAddress, AcceptsHttpUrlsAndBareHostPort) {
  EXPECT_EQ(parse_node("http://127.0.0.11:8000"), (NodeAddress{"127.0.0.11", 8000}));
  EXPECT_EQ(parse_node(" 127.0.0.12:8001/ "), (NodeAddress{"127.0.0.12", 8001}));
  EXPECT_EQ(parse_node("localhost:80")->url(), "http://localhost:80");
}

TEST(NodeAddress, RejectsOtherSchemesMissingPortsAndBadPorts) {
  for (const char* bad : {"https://a:1", "ftp://a:1", "a", "a:", ":80", "a:0", "a:65536", "a:8x", "a/b:1", "http://a:1/v1"}) {
    EXPECT_FALSE(parse_node(bad)) << bad;
  }
}

TEST(NodeAddress, ListsAreCommaSeparatedAndNeverEmpty) {
  auto nodes = std::get<std::vector<NodeAddress>>(parse_nodes("http://a:1, b:2,,"));
  EXPECT_EQ(nodes, (std::vector<NodeAddress>{{"a", 1}, {"b", 2}}));
  EXPECT_EQ(std::get<std::string>(parse_nodes(" , ")), "no node addresses given");
  EXPECT_NE(std::get<std::string>(parse_nodes("a:1,b")).find("'b'"), std::string::npos);
}

}  // namespace
}  // namespace taskraft::cli

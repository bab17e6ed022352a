// Peer addresses as operators write them.
#include "transport/peer_address.h"

#include <gtest/gtest.h>

namespace taskraft::transport {
namespace {

TEST(PeerAddress, ParsesIpv4AndBracketedIpv6) {
  const auto a = parse_peer_address("127.0.0.11:7000");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->ip, "127.0.0.11");
  EXPECT_EQ(a->port, 7000);
  const auto b = parse_peer_address("[::1]:0");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->ip, "::1");
  EXPECT_EQ(b->port, 0);
}

TEST(PeerAddress, RejectsWhatIsNotIpColonPort) {
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:7x", "localhost:7000",
                          "::1:7000", "[127.0.0.1]:7000", "1.2.3:80", " 127.0.0.1:80"}) {
    EXPECT_FALSE(parse_peer_address(bad)) << bad;
  }
}

}  // namespace
}  // namespace taskraft::transport

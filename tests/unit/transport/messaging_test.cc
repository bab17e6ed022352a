// Message delivery between real transports on loopback addresses: order, source address,
// sender checks, reconnects and the bounded queue.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "raw_socket.h"
#include "test_node.h"
#include "transport/transport.h"

namespace taskraft::transport::testing {
namespace {

using std::chrono::milliseconds;

const PeerStats* stats_of(const TransportStats& s, raft::NodeId id) {
  for (const auto& p : s.peers) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::size_t count(const std::vector<Received>& received) {
  std::size_t n = 0;
  for (const auto& r : received) n += r.batch.size();
  return n;
}

TEST(Messaging, BatchesArriveInOrderBetweenThreeNodes) {
  std::vector<std::unique_ptr<TestNode>> nodes;
  for (raft::NodeId id = 1; id <= 3; ++id) nodes.push_back(std::make_unique<TestNode>(id, "127.0.0." + std::to_string(id + 1)));
  for (auto& a : nodes) {
    for (auto& b : nodes) {
      if (a != b) {
        ASSERT_TRUE(a->transport().set_peer(b->id(), b->address()));
      }
    }
  }

  constexpr raft::Index kBatches = 300;
  constexpr raft::Index kPerBatch = 5;
  for (raft::Index batch = 0; batch < kBatches; ++batch) {
    for (auto& a : nodes) {
      std::vector<raft::Message> out;
      for (raft::Index i = 0; i < kPerBatch; ++i) {
        for (auto& b : nodes) {
          if (a != b) out.push_back(message(a->id(), b->id(), batch * kPerBatch + i));
        }
      }
      a->transport().send(std::move(out));
    }
  }

  for (auto& b : nodes) {
    ASSERT_TRUE(b->wait_until([](const auto& r, const auto&) { return count(r) == 2 * kBatches * kPerBatch; }))
        << "node " << b->id() << " received " << count(b->received());
    std::map<raft::NodeId, raft::Index> next;
    for (const auto& r : b->received()) {
      for (const auto& m : r.batch) {
        EXPECT_EQ(m.from, r.peer);
        EXPECT_EQ(m.to, b->id());
        EXPECT_EQ(m.index, next[m.from]++) << "from node " << m.from;
        ASSERT_EQ(m.entries.size(), 1u);
        EXPECT_EQ(m.entries[0].data, "payload-" + std::to_string(m.index));
      }
    }
    EXPECT_EQ(next.size(), 2u);
  }
  for (auto& a : nodes) {
    for (const auto& p : a->transport().stats().peers) {
      EXPECT_TRUE(p.connected);
      EXPECT_EQ(p.sent_messages, kBatches * kPerBatch);
      EXPECT_EQ(p.dropped_messages, 0u);
    }
  }
}

// Frames written directly by the sending thread, frames too large for the socket buffer (written
// partly there, the rest by the io thread) and the idle writer's pings all share one connection.
TEST(Messaging, SmallLargeAndIdleTimeFramesShareTheConnectionWholeAndInOrder) {
  const auto fast_pings = [](TransportOptions& o) { o.keepalive_interval = milliseconds(1); };
  TestNode a(1, "127.0.0.2", 0, kSecret, fast_pings);
  TestNode b(2, "127.0.0.3");
  ASSERT_TRUE(a.transport().set_peer(2, b.address()));

  constexpr raft::Index kSent = 400;
  const std::string large(8u << 20, 'x');  // more than a loopback socket buffer takes at once
  for (raft::Index i = 0; i < kSent; ++i) {
    raft::Message m = message(1, 2, i);
    if (i % 50 == 7) m.entries[0].data = large;
    a.transport().send({std::move(m)});
    if (i % 20 == 0) std::this_thread::sleep_for(milliseconds(3));  // the writer idles and pings
  }

  ASSERT_TRUE(b.wait_until([](const auto& r, const auto&) { return count(r) == kSent; }))
      << "received " << count(b.received());
  raft::Index next = 0;
  for (const auto& m : b.received_messages()) {
    ASSERT_EQ(m.index, next++);
    ASSERT_EQ(m.entries.size(), 1u);
    EXPECT_EQ(m.entries[0].data.size(), m.index % 50 == 7 ? large.size() : ("payload-" + std::to_string(m.index)).size());
  }
  const auto s = *stats_of(a.transport().stats(), 2);
  EXPECT_EQ(s.sent_messages, kSent);
  EXPECT_EQ(s.dropped_messages, 0u);
  EXPECT_EQ(s.connects, 1u);  // never broken by a torn frame
}

TEST(Messaging, ConnectionsOriginateFromTheNodesPeerIp) {
  RawListener peer("127.0.0.5");
  TestNode node(1, "127.0.0.6");
  auto accepted = accept_dial(node, peer);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->remote_ip, "127.0.0.6");
}

TEST(Messaging, MessagesClaimingAnotherSenderAreDropped) {
  TestNode a(1, "127.0.0.2");
  TestNode b(2, "127.0.0.3");
  ASSERT_TRUE(a.transport().set_peer(2, b.address()));
  a.transport().send({message(1, 2, 1), message(9, 2, 2), message(1, 2, 3)});
  a.transport().send({message(1, 2, 4)});
  ASSERT_TRUE(b.wait_until([](const auto& r, const auto&) { return count(r) == 3; }));
  const auto got = b.received_messages();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].index, 1u);
  EXPECT_EQ(got[1].index, 3u);
  EXPECT_EQ(got[2].index, 4u);
  EXPECT_EQ(b.transport().stats().dropped_misaddressed, 1u);
}

TEST(Messaging, ReconnectsAfterThePeerRestarts) {
  TestNode a(1, "127.0.0.2");
  auto b = std::make_unique<TestNode>(2, "127.0.0.3");
  const std::uint16_t port = b->port();
  ASSERT_TRUE(a.transport().set_peer(2, b->address()));
  a.transport().send({message(1, 2, 0)});
  ASSERT_TRUE(b->wait_until([](const auto& r, const auto&) { return count(r) == 1; }));

  b.reset();
  ASSERT_TRUE(eventually([&] { return !stats_of(a.transport().stats(), 2)->connected; }));
  b = std::make_unique<TestNode>(2, "127.0.0.3", port);

  // Raft retransmits; so does this test, until the restarted peer hears from us.
  raft::Index next = 1;
  ASSERT_TRUE(eventually([&] {
    a.transport().send({message(1, 2, next++)});
    return !b->received().empty();
  }));
  const auto s = stats_of(a.transport().stats(), 2);
  EXPECT_GE(s->connects, 2u);
  EXPECT_TRUE(s->connected);
}

TEST(Messaging, QueueIsBoundedWhileTheHandshakeHangs) {
  RawListener silent("127.0.0.7");  // accepts connections, never answers the hello
  TestNode a(1, "127.0.0.8", 0, kSecret, [](TransportOptions& o) {
    o.max_queued_frames = 8;
    o.handshake_timeout = std::chrono::seconds(30);
  });
  ASSERT_TRUE(a.transport().set_peer(2, silent.address()));
  for (raft::Index i = 0; i < 50; ++i) a.transport().send({message(1, 2, i)});
  const auto s = *stats_of(a.transport().stats(), 2);
  EXPECT_FALSE(s.connected);
  EXPECT_EQ(s.queued_frames, 8u);
  EXPECT_EQ(s.dropped_messages, 42u);
  EXPECT_EQ(s.sent_messages, 0u);
}

TEST(Messaging, DropsAreCountedWhileThePeerIsDownAndDeliveryResumes) {
  const std::uint16_t port = unused_port("127.0.0.3");
  TestNode a(1, "127.0.0.2", 0, kSecret, [](TransportOptions& o) { o.max_queued_frames = 4; });
  ASSERT_TRUE(a.transport().set_peer(2, "127.0.0.3:" + std::to_string(port)));

  ASSERT_TRUE(eventually([&] { return !stats_of(a.transport().stats(), 2)->last_error.empty(); }));
  constexpr raft::Index kSent = 100;
  for (raft::Index i = 0; i < kSent; ++i) a.transport().send({message(1, 2, i)});
  auto s = *stats_of(a.transport().stats(), 2);
  EXPECT_LE(s.queued_frames, 4u);
  EXPECT_GE(s.dropped_messages, kSent - 4);
  // Whatever was queued is dropped when the next attempt fails too: every message is accounted for.
  ASSERT_TRUE(eventually([&] { return stats_of(a.transport().stats(), 2)->dropped_messages == kSent; }));
  EXPECT_EQ(a.transport().stats().peers[0].sent_messages, 0u);

  TestNode b(2, "127.0.0.3", port);
  raft::Index next = kSent;
  ASSERT_TRUE(eventually([&] {
    a.transport().send({message(1, 2, next++)});
    return !b.received().empty();
  }));
}

TEST(Messaging, MessagesForUnknownPeersAreCounted) {
  TestNode a(1, "127.0.0.2");
  a.transport().send({message(1, 5, 0), message(1, 5, 1)});
  EXPECT_EQ(a.transport().stats().dropped_unknown_peer, 2u);
}

TEST(Messaging, RemovedPeerGetsNothingMore) {
  TestNode a(1, "127.0.0.2");
  TestNode b(2, "127.0.0.3");
  ASSERT_TRUE(a.transport().set_peer(2, b.address()));
  a.transport().send({message(1, 2, 0)});
  ASSERT_TRUE(b.wait_until([](const auto& r, const auto&) { return count(r) == 1; }));
  a.transport().remove_peer(2);
  EXPECT_TRUE(a.transport().stats().peers.empty());
  a.transport().send({message(1, 2, 1)});
  EXPECT_EQ(a.transport().stats().dropped_unknown_peer, 1u);
}

TEST(Messaging, RejectsBadPeerAddresses) {
  TestNode a(1, "127.0.0.2");
  EXPECT_FALSE(a.transport().set_peer(2, "nonsense"));
  EXPECT_FALSE(a.transport().set_peer(2, "[::1]:7000"));  // we originate from an IPv4 address
  EXPECT_FALSE(a.transport().set_peer(1, "127.0.0.3:7000"));
  EXPECT_FALSE(a.transport().set_peer(0, "127.0.0.3:7000"));
}

}  // namespace
}  // namespace taskraft::transport::testing

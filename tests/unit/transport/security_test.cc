// Peers that do not know the cluster secret, or that break the protocol, are closed and ignored.
#include <gtest/gtest.h>

#include <thread>

#include "raw_socket.h"
#include "test_node.h"
#include "transport/byte_order.h"
#include "wire/raft_codec.h"

namespace taskraft::transport::testing {
namespace {

using std::chrono::milliseconds;

std::string batch_payload(const std::vector<raft::Message>& msgs) { return wire::encode_messages(msgs); }

TEST(Security, NodesWithDifferentSecretsExchangeNothing) {
  TestNode a(1, "127.0.0.2", 0, "secret-a");
  TestNode b(2, "127.0.0.3", 0, "secret-b");
  ASSERT_TRUE(a.transport().set_peer(2, b.address()));
  ASSERT_TRUE(b.transport().set_peer(1, a.address()));
  ASSERT_TRUE(eventually([&] {
    a.transport().send({message(1, 2, 0)});
    b.transport().send({message(2, 1, 0)});
    return a.transport().stats().failed_handshakes >= 2 && b.transport().stats().failed_handshakes >= 2;
  }));
  for (TestNode* n : {&a, &b}) {
    const auto s = n->transport().stats();
    ASSERT_EQ(s.peers.size(), 1u);
    EXPECT_FALSE(s.peers[0].connected);
    EXPECT_EQ(s.peers[0].connects, 0u);
    EXPECT_NE(s.peers[0].last_error.find("secret"), std::string::npos) << s.peers[0].last_error;
    EXPECT_TRUE(n->received().empty());
  }
}

TEST(Security, ClientWithTheWrongSecretIsClosedAndIgnored) {
  TestNode b(2, "127.0.0.3");
  RawSocket raw = RawSocket::connect("127.0.0.4", "127.0.0.3", b.port());
  EXPECT_FALSE(raw.handshake("not the secret", 1, 2, Purpose::kMessages));
  raw.send_frame(FrameType::kMessages, batch_payload({message(1, 2, 0)}));
  EXPECT_TRUE(raw.closed_within(kPatience));
  EXPECT_TRUE(b.received().empty());
  EXPECT_EQ(b.transport().stats().failed_handshakes, 1u);
}

TEST(Security, FramesSentBeforeTheProofAreNotActedOn) {
  TestNode b(2, "127.0.0.3");
  RawSocket raw = RawSocket::connect("127.0.0.4", "127.0.0.3", b.port());
  raw.send_frame(FrameType::kHello, encode_hello({Purpose::kMessages, 1, random_nonce()}));
  raw.send_frame(FrameType::kMessages, batch_payload({message(1, 2, 0)}));
  EXPECT_TRUE(raw.closed_within(kPatience));
  EXPECT_TRUE(b.received().empty());
  EXPECT_EQ(b.transport().stats().failed_handshakes, 1u);
}

TEST(Security, ServerWithTheWrongSecretIsClosedAndGetsNoMessages) {
  RawListener fake("127.0.0.5");
  TestNode a(1, "127.0.0.6");
  auto accepted = accept_dial(a, fake);
  ASSERT_TRUE(accepted);
  RawSocket& conn = accepted->socket;
  const auto hello_frame = conn.read_frame(kPatience);
  ASSERT_TRUE(hello_frame);
  ASSERT_EQ(hello_frame->type, FrameType::kHello);
  const auto hello = decode_hello(hello_frame->payload);
  ASSERT_TRUE(hello);
  Challenge challenge{2, random_nonce(), {}};
  challenge.server_proof = compute_proof("not the secret", Role::kServer, hello->purpose, hello->client, 2,
                                         hello->client_nonce, challenge.server_nonce);
  conn.send_frame(FrameType::kChallenge, encode_challenge(challenge));
  // The client hangs up without sending its proof or any message.
  const auto next = conn.read_frame(kPatience);
  EXPECT_FALSE(next) << "client sent a " << to_string(next->type) << " frame";
  ASSERT_TRUE(eventually([&] { return !a.transport().stats().peers[0].last_error.empty(); }));
  EXPECT_NE(a.transport().stats().peers[0].last_error.find("secret"), std::string::npos);
}

TEST(Security, GarbageBeforeTheHandshakeIsClosed) {
  TestNode b(2, "127.0.0.3");
  RawSocket raw = RawSocket::connect("127.0.0.4", "127.0.0.3", b.port());
  raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(raw.closed_within(kPatience));
  EXPECT_EQ(b.transport().stats().failed_handshakes, 1u);
}

TEST(Security, OversizedHandshakeFrameIsClosed) {
  TestNode b(2, "127.0.0.3");
  RawSocket raw = RawSocket::connect("127.0.0.4", "127.0.0.3", b.port());
  std::string header;
  put_be<std::uint32_t>(header, 1u << 20);
  header.push_back(static_cast<char>(FrameType::kHello));
  raw.send(header);
  EXPECT_TRUE(raw.closed_within(kPatience));
  EXPECT_EQ(b.transport().stats().failed_handshakes, 1u);
}

class AuthenticatedRawPeer : public ::testing::Test {
 protected:
  AuthenticatedRawPeer()
      : b_(2, "127.0.0.3", 0, kSecret,
           [](TransportOptions& o) {
             o.max_frame_bytes = 1 << 20;
             o.snapshot_chunk_bytes = 64 << 10;
           }),
        raw_(RawSocket::connect("127.0.0.4", "127.0.0.3", b_.port())) {}
  void SetUp() override { ASSERT_TRUE(raw_.handshake(kSecret, 1, 2, Purpose::kMessages)); }

  TestNode b_;
  RawSocket raw_;
};

TEST_F(AuthenticatedRawPeer, OversizedFrameClosesTheConnection) {
  std::string header;
  put_be<std::uint32_t>(header, (1u << 20) + 1);
  header.push_back(static_cast<char>(FrameType::kMessages));
  raw_.send(header);
  raw_.send(std::string(4096, 'x'));
  EXPECT_TRUE(raw_.closed_within(kPatience));
  EXPECT_TRUE(b_.received().empty());
  EXPECT_EQ(b_.transport().stats().protocol_errors, 1u);
}

TEST_F(AuthenticatedRawPeer, MalformedBatchClosesTheConnectionAfterEarlierFramesWereDelivered) {
  raw_.send_frame(FrameType::kMessages, batch_payload({message(1, 2, 7)}));
  raw_.send_frame(FrameType::kMessages, "\xff\xff\xff garbage");
  raw_.send_frame(FrameType::kMessages, batch_payload({message(1, 2, 8)}));
  EXPECT_TRUE(raw_.closed_within(kPatience));
  const auto got = b_.received_messages();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].index, 7u);
  EXPECT_EQ(b_.transport().stats().protocol_errors, 1u);
}

TEST_F(AuthenticatedRawPeer, UnexpectedFrameTypeClosesTheConnection) {
  raw_.send_frame(FrameType::kHello, encode_hello({Purpose::kMessages, 1, random_nonce()}));
  EXPECT_TRUE(raw_.closed_within(kPatience));
  EXPECT_EQ(b_.transport().stats().protocol_errors, 1u);
}

TEST_F(AuthenticatedRawPeer, FramesAreDeliveredWholeAndInOrderHoweverTheBytesArrive) {
  // Frames are read through a buffer: several may arrive in one segment, one may arrive in many,
  // and one may be larger than the buffer starts out (64 KiB).
  raft::Message big = message(1, 2, 3);
  big.entries.front().data = std::string(300 << 10, 'b');
  std::string bytes;
  for (raft::Index i : {1, 2}) bytes += make_frame(FrameType::kMessages, batch_payload({message(1, 2, i)}));
  bytes += make_frame(FrameType::kMessages, batch_payload({big}));
  bytes += make_frame(FrameType::kPing, "");
  bytes += make_frame(FrameType::kMessages, batch_payload({message(1, 2, 4)}));
  const std::size_t split_header = 2, split_payload = bytes.size() - 40;
  ASSERT_TRUE(raw_.send(bytes.substr(0, split_header)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(raw_.send(bytes.substr(split_header, split_payload - split_header)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(raw_.send(bytes.substr(split_payload)));
  ASSERT_TRUE(b_.wait_until([](const auto& r, const auto&) { return r.size() == 4; }));
  const auto got = b_.received_messages();
  ASSERT_EQ(got.size(), 4u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].index, i + 1);
  EXPECT_EQ(got[2].entries.front().data, big.entries.front().data);
  EXPECT_EQ(b_.transport().stats().protocol_errors, 0u);
}

TEST_F(AuthenticatedRawPeer, MessagesNotFromThePeerOrNotForUsAreDropped) {
  raw_.send_frame(FrameType::kMessages,
                  batch_payload({message(1, 2, 1), message(3, 2, 2), message(1, 3, 3), message(1, 2, 4)}));
  ASSERT_TRUE(b_.wait_until([](const auto& r, const auto&) { return !r.empty(); }));
  const auto got = b_.received_messages();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].index, 1u);
  EXPECT_EQ(got[1].index, 4u);
  EXPECT_EQ(b_.transport().stats().dropped_misaddressed, 2u);
}

TEST(Security, SilentConnectionIsClosedAfterTheHandshakeTimeout) {
  TestNode b(2, "127.0.0.3", 0, kSecret, [](TransportOptions& o) { o.handshake_timeout = milliseconds(200); });
  RawSocket raw = RawSocket::connect("127.0.0.4", "127.0.0.3", b.port());
  EXPECT_TRUE(raw.closed_within(kPatience));
  EXPECT_EQ(b.transport().stats().failed_handshakes, 1u);
}

}  // namespace
}  // namespace taskraft::transport::testing

// Snapshot streams: a whole file arrives intact; a broken or forged stream announces nothing.
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "raw_socket.h"
#include "test_node.h"
#include "transport/snapshot_protocol.h"

namespace taskraft::transport::testing {
namespace {

raft::Message snapshot_message(raft::NodeId from, raft::NodeId to) {
  raft::Message m;
  m.type = raft::MessageType::kSnap;
  m.from = from;
  m.to = to;
  m.term = 4;
  m.snapshot.index = 1234;
  m.snapshot.term = 3;
  m.snapshot.conf.voters = {1, 2, 3};
  return m;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

class SnapshotTest : public ::testing::Test {
 protected:
  SnapshotTest() : b_(2, "127.0.0.3", 0, kSecret, [](TransportOptions& o) { o.idle_timeout = std::chrono::seconds(2); }) {}

  std::string write_source(const std::string& contents) {
    const std::string path = a_.snapshot_dir() + "/outgoing.snap";
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  // Sends and waits for `done`.
  bool send(const raft::Message& snap, const std::string& path) {
    std::promise<bool> result;
    a_.transport().send_snapshot(snap, path, [&](bool ok) { result.set_value(ok); });
    auto f = result.get_future();
    EXPECT_EQ(f.wait_for(kPatience), std::future_status::ready);
    return f.get();
  }

  // A hand-driven sender, authenticated as node 1, that has announced a snapshot of `size` bytes.
  RawSocket begin_stream(std::uint64_t size, const raft::Message& snap) {
    RawSocket raw = RawSocket::connect("127.0.0.4", "127.0.0.3", b_.port());
    EXPECT_TRUE(raw.handshake(kSecret, 1, 2, Purpose::kSnapshot));
    EXPECT_TRUE(raw.send_frame(FrameType::kSnapshotBegin, encode_snapshot_begin({size, snap})));
    return raw;
  }

  // The receiver closed the stream, removed what it had written, and told its node nothing.
  void expect_refused(RawSocket& raw) {
    EXPECT_TRUE(raw.closed_within(kPatience));
    EXPECT_TRUE(eventually([&] { return files_in(b_.snapshot_dir()).empty(); }));
    EXPECT_TRUE(b_.snapshots().empty());
  }

  TestNode a_{1, "127.0.0.2", 0, kSecret, [](TransportOptions& o) {
                o.snapshot_window = 2;
                o.snapshot_chunk_bytes = 256 << 10;
              }};
  TestNode b_;
};

TEST_F(SnapshotTest, AFewMiBArriveIntact) {
  ASSERT_TRUE(a_.transport().set_peer(2, b_.address()));
  const std::string contents = random_bytes((3 << 20) + 12345);
  EXPECT_TRUE(send(snapshot_message(1, 2), write_source(contents)));

  const auto got = b_.snapshots();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].snap.from, 1u);
  EXPECT_EQ(got[0].snap.snapshot, snapshot_message(1, 2).snapshot);
  EXPECT_EQ(got[0].contents.size(), contents.size());
  EXPECT_TRUE(got[0].contents == contents);
  EXPECT_EQ(std::filesystem::path(got[0].path).parent_path(), b_.snapshot_dir());
  EXPECT_EQ(files_in(b_.snapshot_dir()).size(), 1u);  // the snapshot, and no partial file
}

TEST_F(SnapshotTest, EmptyFileIsASnapshotToo) {
  ASSERT_TRUE(a_.transport().set_peer(2, b_.address()));
  EXPECT_TRUE(send(snapshot_message(1, 2), write_source("")));
  ASSERT_EQ(b_.snapshots().size(), 1u);
  EXPECT_TRUE(b_.snapshots()[0].contents.empty());
}

TEST_F(SnapshotTest, UnknownPeerOrMissingFileFails) {
  EXPECT_FALSE(send(snapshot_message(1, 2), write_source("x")));
  ASSERT_TRUE(a_.transport().set_peer(2, b_.address()));
  EXPECT_FALSE(send(snapshot_message(1, 2), a_.snapshot_dir() + "/no-such-file"));
  EXPECT_TRUE(b_.snapshots().empty());
}

TEST_F(SnapshotTest, StreamCutMidwayAnnouncesNothingAndLeavesNoFile) {
  RawSocket raw = begin_stream(3 << 20, snapshot_message(1, 2));
  ASSERT_TRUE(raw.send_frame(FrameType::kSnapshotChunk, random_bytes(1 << 20)));
  const auto ack = raw.read_frame(kPatience);  // the chunk is on the receiver's disk
  ASSERT_TRUE(ack);
  EXPECT_EQ(decode_snapshot_ack(ack->payload), 1u << 20);
  EXPECT_EQ(files_in(b_.snapshot_dir()).size(), 1u);
  { RawSocket cut = std::move(raw); }

  EXPECT_TRUE(eventually([&] { return files_in(b_.snapshot_dir()).empty(); }));
  EXPECT_TRUE(b_.snapshots().empty());
}

TEST_F(SnapshotTest, StalledStreamTimesOutAndLeavesNoFile) {
  RawSocket raw = begin_stream(3 << 20, snapshot_message(1, 2));
  ASSERT_TRUE(raw.send_frame(FrameType::kSnapshotChunk, random_bytes(1000)));
  expect_refused(raw);
}

TEST_F(SnapshotTest, ChecksumMismatchIsRefused) {
  const std::string data = random_bytes(5000);
  RawSocket raw = begin_stream(data.size(), snapshot_message(1, 2));
  ASSERT_TRUE(raw.send_frame(FrameType::kSnapshotChunk, data));
  Sha256 sha;
  sha.update(data + "tampered");
  ASSERT_TRUE(raw.send_frame(FrameType::kSnapshotEnd, encode_snapshot_end(sha.finish())));

  const auto ack = raw.read_frame(kPatience);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->type, FrameType::kSnapshotAck);
  const auto verdict = raw.read_frame(kPatience);
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->type, FrameType::kSnapshotDone);
  EXPECT_EQ(decode_snapshot_done(verdict->payload), false);
  expect_refused(raw);
}

TEST_F(SnapshotTest, MoreBytesThanAnnouncedIsRefused) {
  RawSocket raw = begin_stream(10, snapshot_message(1, 2));
  ASSERT_TRUE(raw.send_frame(FrameType::kSnapshotChunk, random_bytes(11)));
  expect_refused(raw);
}

TEST_F(SnapshotTest, SnapshotClaimingAnotherSenderIsRefused) {
  RawSocket raw = begin_stream(10, snapshot_message(3, 2));
  expect_refused(raw);
  EXPECT_EQ(b_.transport().stats().dropped_misaddressed, 1u);
}

TEST_F(SnapshotTest, StopFailsAnInFlightSnapshot) {
  RawListener silent("127.0.0.5");  // accepts, never answers: the send stays in its handshake
  ASSERT_TRUE(a_.transport().set_peer(2, silent.address()));
  std::promise<bool> result;
  a_.transport().send_snapshot(snapshot_message(1, 2), write_source("abc"), [&](bool ok) { result.set_value(ok); });
  ASSERT_TRUE(silent.accept(kPatience));
  a_.stop();
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_FALSE(f.get());
}

}  // namespace
}  // namespace taskraft::transport::testing

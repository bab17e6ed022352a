// The decode budget (wire/decode_budget.h): frames built to expand many times over once parsed
// are refused before protobuf builds anything, while what the node itself sends, in its largest
// and its most compact shapes, decodes as before.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "raft.pb.h"
#include "wire/decode_budget.h"
#include "wire/raft_codec.h"

namespace taskraft::wire {
namespace {

// An Envelope of version 1 followed by `count` copies of `field` (raw bytes of one field).
std::string envelope_of(const std::string& field, std::size_t count) {
  std::string out = "\x08\x01";  // version = FORMAT_VERSION_1
  out.reserve(out.size() + field.size() * count);
  for (std::size_t i = 0; i < count; ++i) out += field;
  return out;
}

raft::Message heartbeat(raft::NodeId to) {
  raft::Message m;
  m.type = raft::MessageType::kHeartbeat;
  m.from = 1;
  m.to = to;
  m.term = 7;
  m.commit = 123'456;
  return m;
}

TEST(DecodeBudget, EmptyMessagesFillingAFrameAreRefused) {
  const std::string frame = envelope_of(std::string("\x12\x00", 2), 512 * 1024);  // 1 MiB
  const auto cost = decoded_size(frame);
  ASSERT_TRUE(cost.has_value());
  EXPECT_GT(*cost, 50 * frame.size()) << "each 2-byte message costs hundreds of bytes decoded";
  EXPECT_FALSE(decode_messages(frame).has_value());
}

TEST(DecodeBudget, EmptyEntriesInOneMessageAreRefused) {
  raftpb::Envelope env;
  env.set_version(raftpb::FORMAT_VERSION_1);
  auto* m = env.add_messages();
  m->set_type(raftpb::MSG_APP);
  for (int i = 0; i < 400'000; ++i) m->add_entries();  // 2 bytes each on the wire
  const std::string frame = env.SerializeAsString();
  ASSERT_LT(frame.size(), 1u << 20);
  EXPECT_FALSE(decode_messages(frame).has_value());
}

TEST(DecodeBudget, PackedConfigurationIdsAreCounted) {
  // A snapshot message whose configuration claims a million one-byte voter ids.
  raftpb::Envelope env;
  env.set_version(raftpb::FORMAT_VERSION_1);
  auto* m = env.add_messages();
  m->set_type(raftpb::MSG_SNAP);
  for (int i = 0; i < 1'000'000; ++i) m->mutable_snapshot()->mutable_conf()->add_voters(1 + i % 100);
  const std::string frame = env.SerializeAsString();
  const auto cost = decoded_size(frame);
  ASSERT_TRUE(cost.has_value());
  EXPECT_GE(*cost, 1'000'000 * sizeof(std::uint64_t));
  EXPECT_FALSE(decode_messages(frame).has_value());
}

TEST(DecodeBudget, WhatTheNodeSendsStillDecodes) {
  // The most compact traffic: a frame to one peer (frames are per link) with thousands of
  // small answers queued, far more than a link ever holds between two sends.
  std::vector<raft::Message> answers(5'000, heartbeat(2));
  for (raft::Message& m : answers) m.type = raft::MessageType::kAppResp;
  ASSERT_TRUE(decode_messages(encode_messages(answers)).has_value());

  // The largest: an append of max_msg_bytes worth of the smallest real commands (about 60 bytes:
  // a time, an actor, a request hash and a title), and an append of one big entry.
  raft::Message app = heartbeat(2);
  app.type = raft::MessageType::kApp;
  for (raft::Index i = 1; app.entries.size() < (1u << 20) / 60; ++i) {
    app.entries.push_back({7, 1'000'000 + i, raft::EntryType::kNormal, std::string(60, 'x')});
  }
  raft::Message big = heartbeat(3);
  big.type = raft::MessageType::kApp;
  big.entries.push_back({7, 5, raft::EntryType::kNormal, std::string(8u << 20, 'y')});
  const auto decoded = decode_messages(encode_messages({app, big}));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ((*decoded)[0].entries.size(), app.entries.size());
  EXPECT_EQ((*decoded)[1].entries[0].data.size(), 8u << 20);
}

TEST(DecodeBudget, MalformedBytesHaveNoSize) {
  EXPECT_FALSE(decoded_size(std::string("\x12\x05\x08", 3)).has_value());  // a message cut short
  EXPECT_FALSE(decoded_size(std::string("\x00\x01", 2)).has_value());      // tag 0
  EXPECT_TRUE(decoded_size("").has_value());
}

}  // namespace
}  // namespace taskraft::wire

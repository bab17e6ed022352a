// Splitting a peer's messages into frames under the size limit.
#include "transport/batching.h"

#include <gtest/gtest.h>

#include "test_node.h"
#include "transport/frame.h"
#include "wire/raft_codec.h"

namespace taskraft::transport {
namespace {

std::vector<raft::Message> decode_all(const Batches& b) {
  std::vector<raft::Message> out;
  for (const auto& f : b.frames) {
    auto msgs = wire::decode_messages(std::string_view(f.bytes).substr(kFrameHeaderBytes));
    EXPECT_TRUE(msgs);
    EXPECT_EQ(msgs->size(), f.messages);
    out.insert(out.end(), msgs->begin(), msgs->end());
  }
  return out;
}

std::vector<raft::Message> numbered(std::size_t n) {
  std::vector<raft::Message> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(testing::message(1, 2, i));
  return out;
}

TEST(Batching, SmallBatchIsOneFrame) {
  const auto b = batch_into_frames(numbered(10), 1 << 20);
  ASSERT_EQ(b.frames.size(), 1u);
  EXPECT_EQ(b.too_large, 0u);
  const auto out = decode_all(b);
  ASSERT_EQ(out.size(), 10u);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].index, i);
}

TEST(Batching, LargeBatchIsSplitInOrderUnderTheLimit) {
  const std::size_t limit = 300;
  const auto b = batch_into_frames(numbered(40), limit);
  EXPECT_GT(b.frames.size(), 1u);
  for (const auto& f : b.frames) EXPECT_LE(f.bytes.size() - 4, limit);
  const auto out = decode_all(b);
  ASSERT_EQ(out.size(), 40u);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].index, i);
}

TEST(Batching, AMessageThatCannotFitIsCountedNotSent) {
  auto msgs = numbered(3);
  msgs[1].entries[0].data.assign(10000, 'x');
  const auto b = batch_into_frames(msgs, 1000);
  EXPECT_EQ(b.too_large, 1u);
  const auto out = decode_all(b);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].index, 0u);
  EXPECT_EQ(out[1].index, 2u);
}

}  // namespace
}  // namespace taskraft::transport

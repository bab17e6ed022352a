// Frame headers: what a reader accepts before it allocates anything.
#include "transport/frame.h"

#include <gtest/gtest.h>

#include <cstring>

namespace taskraft::transport {
namespace {

std::array<unsigned char, kFrameHeaderBytes> header_of(const std::string& frame) {
  std::array<unsigned char, kFrameHeaderBytes> h;
  std::memcpy(h.data(), frame.data(), h.size());
  return h;
}

TEST(Frame, HeaderOfAFrameGivesBackTypeAndPayloadSize) {
  const std::string frame = make_frame(FrameType::kMessages, "hello");
  ASSERT_EQ(frame.size(), kFrameHeaderBytes + 5);
  std::string error;
  const auto h = parse_frame_header(header_of(frame), 1024, &error);
  ASSERT_TRUE(h) << error;
  EXPECT_EQ(h->type, FrameType::kMessages);
  EXPECT_EQ(h->payload_bytes, 5u);
  EXPECT_EQ(frame.substr(kFrameHeaderBytes), "hello");
}

TEST(Frame, EmptyPayloadIsAllowed) {
  std::string error;
  const auto h = parse_frame_header(header_of(make_frame(FrameType::kPing, "")), 1024, &error);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->payload_bytes, 0u);
}

TEST(Frame, RejectsFramesOverTheLimit) {
  std::string error;
  const std::string frame = make_frame(FrameType::kMessages, std::string(100, 'x'));
  EXPECT_TRUE(parse_frame_header(header_of(frame), 101, &error));
  EXPECT_FALSE(parse_frame_header(header_of(frame), 100, &error));
  EXPECT_NE(error.find("exceeds"), std::string::npos);
}

TEST(Frame, RejectsZeroLengthAndUnknownTypes) {
  std::string error;
  EXPECT_FALSE(parse_frame_header({0, 0, 0, 0, 10}, 1024, &error));
  EXPECT_FALSE(parse_frame_header({0, 0, 0, 1, 99}, 1024, &error));
  EXPECT_NE(error.find("unknown type"), std::string::npos);
}

}  // namespace
}  // namespace taskraft::transport

// Segment names and headers: round trips, the versions read, and refusal of damaged or
// newer-format headers.
#include "wal/segment.h"

#include <gtest/gtest.h>

#include "wal/crc32c.h"
#include "wal/le.h"

namespace taskraft::wal {
namespace {

TEST(SegmentName, EncodesSequenceAndFirstIndex) {
  std::string name = segment_name(3, 0x401);
  EXPECT_EQ(name, "0000000000000003-0000000000000401.wal");
  auto parsed = parse_segment_name(name);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->seq, 3u);
  EXPECT_EQ(parsed->first_index, 0x401u);
}

TEST(SegmentName, RejectsOtherFiles) {
  EXPECT_FALSE(parse_segment_name("LOCK"));
  EXPECT_FALSE(parse_segment_name("0000000000000003-0000000000000401.wal.tmp"));
  EXPECT_FALSE(parse_segment_name("000000000000000g-0000000000000401.wal"));
  EXPECT_FALSE(parse_segment_name("0000000000000003_0000000000000401.wal"));
}

TEST(SegmentHeader, RoundTrips) {
  SegmentHeader h{5, 1000, 77};
  std::string bytes = encode_segment_header(h);
  ASSERT_EQ(bytes.size(), kSegmentHeaderSize);
  auto parsed = parse_segment_header(bytes);
  ASSERT_TRUE(std::holds_alternative<SegmentHeader>(parsed));
  EXPECT_EQ(std::get<SegmentHeader>(parsed), h);
}

TEST(SegmentHeader, EveryBitFlipIsRefused) {
  std::string good = encode_segment_header(SegmentHeader{5, 1000, 77});
  for (std::size_t bit = 0; bit < good.size() * 8; ++bit) {
    std::string bad = good;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_TRUE(std::holds_alternative<std::string>(parse_segment_header(bad))) << "bit " << bit;
  }
}

// The header of `h` as format `version` writes it (the layout is the same in versions 1 and 2).
std::string header_of_version(const SegmentHeader& h, std::uint32_t version) {
  std::string bytes = encode_segment_header(h);
  store_le<std::uint32_t>(bytes.data() + 8, version);
  store_le<std::uint32_t>(bytes.data() + 40, crc32c(std::string_view(bytes).substr(0, 40)));
  return bytes;
}

TEST(SegmentHeader, NewSegmentsAreVersion2) {
  std::string bytes = encode_segment_header(SegmentHeader{1, 1, 1});
  EXPECT_EQ(get_le<std::uint32_t>(bytes.data() + 8), 2u);
}

TEST(SegmentHeader, Version1IsStillRead) {
  auto parsed = parse_segment_header(header_of_version(SegmentHeader{4, 300, 9}, 1));
  ASSERT_TRUE(std::holds_alternative<SegmentHeader>(parsed));
  EXPECT_EQ(std::get<SegmentHeader>(parsed), (SegmentHeader{4, 300, 9}));
}

TEST(SegmentHeader, NewerFormatIsRefusedByName) {
  auto parsed = parse_segment_header(header_of_version(SegmentHeader{1, 1, 1}, 3));
  ASSERT_TRUE(std::holds_alternative<std::string>(parsed));
  EXPECT_EQ(std::get<std::string>(parsed), "segment format version 3, this build reads only versions 1 to 2");
  parsed = parse_segment_header(header_of_version(SegmentHeader{1, 1, 1}, 0));
  ASSERT_TRUE(std::holds_alternative<std::string>(parsed));
}

TEST(SegmentName, SpareNameIsALeftoverNameNotASegmentName) {
  std::string name = spare_segment_name(0x12);
  EXPECT_EQ(name, "0000000000000012-spare.wal.tmp");  // ".wal.tmp": removed by recovery if left over
  EXPECT_FALSE(parse_segment_name(name));
}

}  // namespace
}  // namespace taskraft::wal

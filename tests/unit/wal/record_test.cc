// Record framing: what is written is read back, and every single-bit flip and every cut is
// recognised as damage, never accepted as a record.
#include "wal/record.h"

#include <gtest/gtest.h>

#include <string>

namespace taskraft::wal {
namespace {

std::string encoded(const Record& r) {
  std::string out;
  append_record(out, r);
  return out;
}

TEST(Record, RoundTripsEveryField) {
  std::string payload = "some payload \x00\x01 bytes";
  std::string bytes = "prefix";
  append_record(bytes, Record{RecordKind::kSnapshotMark, 42, true, payload});
  ParsedRecord p = parse_record(bytes, 6);
  ASSERT_EQ(p.status, ParseStatus::kOk) << p.problem;
  EXPECT_EQ(p.size, kRecordHeaderSize + payload.size());
  EXPECT_EQ(p.record.kind, RecordKind::kSnapshotMark);
  EXPECT_EQ(p.record.batch, 42u);
  EXPECT_TRUE(p.record.batch_end);
  EXPECT_EQ(p.record.payload, payload);
}

TEST(Record, EmptyPayloadIsARecord) {
  std::string bytes = encoded(Record{RecordKind::kEntry, 1, false, ""});
  ParsedRecord p = parse_record(bytes, 0);
  ASSERT_EQ(p.status, ParseStatus::kOk);
  EXPECT_FALSE(p.record.batch_end);
  EXPECT_EQ(p.size, kRecordHeaderSize);
}

TEST(Record, EveryBitFlipIsCorruptOrIncomplete) {
  std::string good = encoded(Record{RecordKind::kEntry, 7, true, "payload of an entry"});
  for (std::size_t bit = 0; bit < good.size() * 8; ++bit) {
    std::string bad = good;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    // A flipped length bit may claim more bytes than there are: incomplete, also never accepted.
    EXPECT_NE(parse_record(bad, 0).status, ParseStatus::kOk) << "bit " << bit;
  }
}

TEST(Record, EveryCutIsIncomplete) {
  std::string good = encoded(Record{RecordKind::kHardState, 3, true, "hard state bytes"});
  for (std::size_t len = 0; len < good.size(); ++len) {
    EXPECT_EQ(parse_record(std::string_view(good).substr(0, len), 0).status, ParseStatus::kIncomplete)
        << len;
  }
}

TEST(Record, ZerosAreNotARecord) {
  std::string zeros(64, '\0');
  EXPECT_EQ(parse_record(zeros, 0).status, ParseStatus::kCorrupt);
}

}  // namespace
}  // namespace taskraft::wal

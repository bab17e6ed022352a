// libFuzzer target: the WAL's reading of a segment file at recovery, wal::scan_segment
// (segment_scan.h), on damaged and torn files.
//
// Feeds: the first input byte chooses; bit 0: the segment is the last one; bit 1: build mode.
//   - Raw mode: the rest of the input is the file, header included.
//   - Build mode: the rest describes a file the WAL could have written, so that the checksums are
//     right and the fuzzer reaches what lies behind them: a valid header, then records (per
//     record 3 bytes: kind and batch-end bit, payload length 0-63, then the payload), numbered in
//     batches as the writer numbers them, then zeros (the preallocated rest). Bit 2 of the first
//     byte then flips one byte, bit 3 cuts the file short, at places the last input bytes give.
// Asserts, besides what ASan and UBSan catch:
//   - every record returned lies within the header's end and valid_size, and valid_size within
//     the file; the last record returned ends its batch (complete batches only);
//   - a torn tail is reported only for the last segment, between valid_size and the file's end;
//   - recovery's clearing works: zeroing the torn tail and scanning again gives the same records,
//     the same valid_size and no torn tail;
//   - an undamaged built file whose batches are all complete is read back whole, every record.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "require.h"
#include "wal/record.h"
#include "wal/segment.h"
#include "wal/segment_scan.h"
#include "wal/wal_error.h"

namespace {

namespace wal = taskraft::wal;

struct Built {
  std::string file;
  std::size_t complete_records = 0;  // records of complete batches
  bool all_complete = true;           // the last record ends its batch (or there is none)
};

Built build(std::string_view in) {
  Built b;
  const std::uint64_t first_batch = in.empty() ? 1 : 1 + static_cast<unsigned char>(in[0]);
  if (!in.empty()) in.remove_prefix(1);
  b.file = wal::encode_segment_header(wal::SegmentHeader{1, 1, first_batch});
  std::uint64_t batch = first_batch;
  std::size_t in_batch = 0;
  while (in.size() >= 2) {
    const auto head = static_cast<unsigned char>(in[0]);
    const std::size_t length = static_cast<unsigned char>(in[1]) % 64;
    if (in.size() < 2 + length) break;
    wal::Record r;
    r.kind = static_cast<wal::RecordKind>(1 + head % 3);
    r.batch = batch;
    r.batch_end = (head & 0x80) != 0;
    r.payload = in.substr(2, length);
    wal::append_record(b.file, r);
    in.remove_prefix(2 + length);
    ++in_batch;
    if (r.batch_end) {
      b.complete_records += in_batch;
      in_batch = 0;
      ++batch;
    }
  }
  b.all_complete = in_batch == 0;
  b.file.append(in.size() * 16, '\0');  // the preallocated rest, as long as the input left over
  return b;
}

bool scan(std::string_view bytes, bool last, wal::SegmentScan* out) {
  try {
    *out = wal::scan_segment("fuzz.wal", bytes, last);
    return true;
  } catch (const wal::WalError&) {
    return false;
  }
}

void check(const std::string& file, bool last, const wal::SegmentScan& s) {
  FUZZ_REQUIRE(s.valid_size <= file.size());
  for (const auto& r : s.records) {
    FUZZ_REQUIRE(r.offset >= wal::kSegmentHeaderSize);
    FUZZ_REQUIRE(r.offset + wal::kRecordHeaderSize + r.record.payload.size() <= s.valid_size);
    FUZZ_REQUIRE(r.record.payload.data() >= file.data() &&
                 r.record.payload.data() + r.record.payload.size() <= file.data() + file.size());
  }
  if (!s.records.empty()) FUZZ_REQUIRE(s.records.back().record.batch_end);
  if (!s.torn.empty()) {
    FUZZ_REQUIRE(last);
    FUZZ_REQUIRE(s.valid_size <= s.torn_end && s.torn_end <= file.size());
    std::string cleared = file;
    std::fill(cleared.begin() + static_cast<std::ptrdiff_t>(s.valid_size),
              cleared.begin() + static_cast<std::ptrdiff_t>(s.torn_end), '\0');
    wal::SegmentScan again;
    FUZZ_REQUIRE(scan(cleared, last, &again));
    FUZZ_REQUIRE(again.torn.empty());
    FUZZ_REQUIRE(again.valid_size == s.valid_size);
    FUZZ_REQUIRE(again.records.size() == s.records.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned mode = data[0];
  const bool last = (mode & 1) != 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);

  if ((mode & 2) == 0) {
    const std::string file(in);
    wal::SegmentScan s;
    if (scan(file, last, &s)) check(file, last, s);
    return 0;
  }

  // Build mode: the last 4 input bytes (when damage is asked for) say where.
  std::uint32_t where = 0;
  const bool damage = (mode & 0x0C) != 0 && in.size() >= 4;
  if (damage) {
    for (int i = 0; i < 4; ++i) where = where << 8 | static_cast<unsigned char>(in[in.size() - 4 + i]);
    in.remove_suffix(4);
  }
  Built b = build(in);
  if (damage && (mode & 4) && b.file.size() > 0) b.file[where % b.file.size()] ^= static_cast<char>(1 + (where >> 24) % 255);
  if (damage && (mode & 8)) b.file.resize(where % (b.file.size() + 1));

  wal::SegmentScan s;
  const bool read = scan(b.file, last, &s);
  if (read) check(b.file, last, s);
  if (!damage && b.all_complete) {
    FUZZ_REQUIRE(read);
    FUZZ_REQUIRE(s.torn.empty());
    FUZZ_REQUIRE(s.records.size() == b.complete_records);
  }
  return 0;
}

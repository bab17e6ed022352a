// Implements record.h: encoding and validating one record.
#include "wal/record.h"

#include <cassert>

#include "wal/crc32c.h"
#include "wal/le.h"

namespace taskraft::wal {
namespace {

constexpr std::uint8_t kFlagBatchEnd = 1;

bool known_kind(std::uint8_t k) {
  return k == static_cast<std::uint8_t>(RecordKind::kEntry) ||
         k == static_cast<std::uint8_t>(RecordKind::kHardState) ||
         k == static_cast<std::uint8_t>(RecordKind::kSnapshotMark);
}

ParsedRecord fail(ParseStatus status, const char* problem) {
  ParsedRecord p;
  p.status = status;
  p.problem = problem;
  return p;
}

}  // namespace

void append_record(std::string& out, const Record& r) {
  assert(r.payload.size() <= kMaxRecordPayload);
  std::size_t start = out.size();
  put_le<std::uint32_t>(out, 0);  // checksum, filled in below
  put_le<std::uint32_t>(out, static_cast<std::uint32_t>(r.payload.size()));
  put_le<std::uint64_t>(out, r.batch);
  out.push_back(static_cast<char>(r.kind));
  out.push_back(static_cast<char>(r.batch_end ? kFlagBatchEnd : 0));
  put_le<std::uint16_t>(out, 0);
  out.append(r.payload);
  store_le<std::uint32_t>(out.data() + start, crc32c(std::string_view(out).substr(start + 4)));
}

ParsedRecord parse_record(std::string_view bytes, std::size_t pos) {
  assert(pos <= bytes.size());
  std::size_t avail = bytes.size() - pos;
  if (avail < kRecordHeaderSize) return fail(ParseStatus::kIncomplete, "record header cut short");
  const char* h = bytes.data() + pos;
  std::uint32_t length = get_le<std::uint32_t>(h + 4);
  auto kind = static_cast<std::uint8_t>(h[16]);
  auto flags = static_cast<std::uint8_t>(h[17]);
  // Cheap field checks first: they reject most damage (and most probe positions while
  // recovery searches for intact records after damage) before any checksum work.
  if (length > kMaxRecordPayload) return fail(ParseStatus::kCorrupt, "record length out of range");
  if (!known_kind(kind) || (flags & ~kFlagBatchEnd) != 0 || get_le<std::uint16_t>(h + 18) != 0) {
    return fail(ParseStatus::kCorrupt, "malformed record header");
  }
  if (avail - kRecordHeaderSize < length) return fail(ParseStatus::kIncomplete, "record cut short");
  std::string_view covered = bytes.substr(pos + 4, kRecordHeaderSize - 4 + length);
  if (crc32c(covered) != get_le<std::uint32_t>(h)) {
    return fail(ParseStatus::kCorrupt, "record checksum mismatch");
  }
  ParsedRecord p;
  p.status = ParseStatus::kOk;
  p.record = Record{static_cast<RecordKind>(kind), get_le<std::uint64_t>(h + 8),
                    (flags & kFlagBatchEnd) != 0, bytes.substr(pos + kRecordHeaderSize, length)};
  p.size = kRecordHeaderSize + length;
  return p;
}

}  // namespace taskraft::wal

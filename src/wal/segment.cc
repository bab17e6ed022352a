// Implements segment.h: segment names and the fixed segment header.
#include "wal/segment.h"

#include <cstdio>

#include "wal/crc32c.h"
#include "wal/le.h"

namespace taskraft::wal {
namespace {

constexpr std::string_view kMagic = "TRFTWAL\n";
constexpr std::size_t kCrcOffset = 40;

std::optional<std::uint64_t> parse_hex16(std::string_view s) {
  if (s.size() != 16) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return std::nullopt;
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  return v;
}

}  // namespace

std::string segment_name(std::uint64_t seq, std::uint64_t first_index) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%016llx-%016llx", static_cast<unsigned long long>(seq),
                static_cast<unsigned long long>(first_index));
  return std::string(buf) + std::string(kSegmentSuffix);
}

std::string spare_segment_name(std::uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx-spare", static_cast<unsigned long long>(seq));
  return std::string(buf) + std::string(kSegmentSuffix) + std::string(kTempSuffix);
}

std::optional<SegmentHeader> parse_segment_name(std::string_view name) {
  if (name.size() != 33 + kSegmentSuffix.size() || !name.ends_with(kSegmentSuffix) || name[16] != '-') {
    return std::nullopt;
  }
  auto seq = parse_hex16(name.substr(0, 16));
  auto first = parse_hex16(name.substr(17, 16));
  if (!seq || !first) return std::nullopt;
  return SegmentHeader{*seq, *first, 0};
}

std::string encode_segment_header(const SegmentHeader& h) {
  std::string out(kMagic);
  put_le<std::uint32_t>(out, kSegmentFormatVersion);
  put_le<std::uint32_t>(out, 0);
  put_le<std::uint64_t>(out, h.seq);
  put_le<std::uint64_t>(out, h.first_index);
  put_le<std::uint64_t>(out, h.first_batch);
  put_le<std::uint32_t>(out, crc32c(out));
  put_le<std::uint32_t>(out, 0);
  return out;
}

std::variant<SegmentHeader, std::string> parse_segment_header(std::string_view bytes) {
  if (bytes.size() < kSegmentHeaderSize) return std::string("segment header cut short");
  if (bytes.substr(0, kMagic.size()) != kMagic) return std::string("not a WAL segment (bad magic)");
  const char* p = bytes.data();
  bool intact = get_le<std::uint32_t>(p + kCrcOffset) == crc32c(bytes.substr(0, kCrcOffset)) &&
                get_le<std::uint32_t>(p + 12) == 0 && get_le<std::uint32_t>(p + 44) == 0;
  // The version sits right after the magic in every format, so a newer segment is refused by
  // name even though its header layout may differ from ours.
  std::uint32_t version = get_le<std::uint32_t>(p + 8);
  if (version < kOldestSegmentFormatVersion || version > kSegmentFormatVersion) {
    return "segment format version " + std::to_string(version) + ", this build reads only versions " +
           std::to_string(kOldestSegmentFormatVersion) + " to " + std::to_string(kSegmentFormatVersion) +
           (intact ? "" : " (or the header is damaged)");
  }
  if (!intact) return std::string("segment header damaged (checksum mismatch)");
  return SegmentHeader{get_le<std::uint64_t>(p + 16), get_le<std::uint64_t>(p + 24),
                       get_le<std::uint64_t>(p + 32)};
}

}  // namespace taskraft::wal

// The segment file: its name and its fixed header.
//
// A WAL directory holds segments named "<seq>-<first index>.wal" (16 hex digits each), e.g.
// "0000000000000003-0000000000000401.wal": `seq` orders the segments (1, 2, 3, ... with no gaps;
// compaction removes the oldest), `first index` is the index of the first entry the segment was
// opened for (informational: an overwrite may later write lower indexes into it). A segment is
// created as "<name>.tmp" and renamed once its header is durable, so a file with the final name
// always has a complete header; leftover ".tmp" files are debris of a crash and are removed.
//
// Header layout (little-endian), 48 bytes:
//   8  magic "TRFTWAL\n"
//   u32 format version (kSegmentFormatVersion)
//   u32 reserved, zero
//   u64 seq, u64 first index    (must agree with the name)
//   u64 first batch             sequence number of the segment's first batch
//   u32 crc32c of the 40 bytes before it
//   u32 reserved, zero
//
// Guarantees: parse_segment_header accepts only an intact header of a version this build reads,
// and otherwise says why (a newer format is refused by name, never misread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace taskraft::wal {

inline constexpr std::uint32_t kSegmentFormatVersion = 1;
inline constexpr std::size_t kSegmentHeaderSize = 48;
inline constexpr std::string_view kSegmentSuffix = ".wal";
inline constexpr std::string_view kTempSuffix = ".tmp";

struct SegmentHeader {
  std::uint64_t seq = 0;
  std::uint64_t first_index = 0;
  std::uint64_t first_batch = 0;

  friend bool operator==(const SegmentHeader&, const SegmentHeader&) = default;
};

std::string segment_name(std::uint64_t seq, std::uint64_t first_index);
// {seq, first_index} of a well-formed segment file name, nullopt for anything else.
std::optional<SegmentHeader> parse_segment_name(std::string_view name);

std::string encode_segment_header(const SegmentHeader& h);
// The header, or a description of what is wrong with it.
std::variant<SegmentHeader, std::string> parse_segment_header(std::string_view bytes);

}  // namespace taskraft::wal

// The segment file: its name, its fixed header, and the format versions this build reads.
//
// A WAL directory holds segments named "<seq>-<first index>.wal" (16 hex digits each), e.g.
// "0000000000000003-0000000000000401.wal": `seq` orders the segments (1, 2, 3, ... with no gaps;
// compaction removes the oldest), `first index` is the index of the first entry the segment was
// opened for (informational: an overwrite may later write lower indexes into it). A segment is
// prepared ahead of time as a spare, "<seq>-spare.wal.tmp" (spare_segment_name), and renamed to
// its final name once its header and first batch are durable, so a file with the final name
// always has a complete header; leftover ".wal.tmp" files are unused spares or debris of a crash
// and are removed.
//
// Header layout (little-endian), 48 bytes:
//   8  magic "TRFTWAL\n"
//   u32 format version
//   u32 reserved, zero
//   u64 seq, u64 first index    (must agree with the name)
//   u64 first batch             sequence number of the segment's first batch
//   u32 crc32c of the 40 bytes before it
//   u32 reserved, zero
//
// Format versions: 2 (kSegmentFormatVersion, what this build writes): the file is preallocated,
// written full of zeros (WalOptions::segment_bytes) before it is named, and records overwrite the
// zeros from the header on; zeros after the last complete batch are the segment's unused rest,
// not damage. 1 (written by older builds): the file ends where its data ends. This build reads
// both with the same rules (segment_scan.h) and goes on writing into a version-1 segment; a build
// that reads only version 1 refuses a version-2 segment by name instead of taking its zeros for a
// torn tail.
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

inline constexpr std::uint32_t kSegmentFormatVersion = 2;
inline constexpr std::uint32_t kOldestSegmentFormatVersion = 1;  // still read
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
// The name a spare for segment `seq` has until it becomes that segment; ends in ".wal.tmp".
std::string spare_segment_name(std::uint64_t seq);
// {seq, first_index} of a well-formed segment file name, nullopt for anything else.
std::optional<SegmentHeader> parse_segment_name(std::string_view name);

std::string encode_segment_header(const SegmentHeader& h);
// The header, or a description of what is wrong with it.
std::variant<SegmentHeader, std::string> parse_segment_header(std::string_view bytes);

}  // namespace taskraft::wal

// The snapshot file format: a magic header, then frames, each a list of values.
//
//   file  := "TRSNAP01" frame* end-frame
//   frame := kind (1 byte) | payload length (u32 LE) | payload
//   payload := value*;  value := length (u32 LE, 0xFFFFFFFF = NULL) | bytes
//   kinds: 'H' header [row format version (schema.h), applied index, applied term]
//          'T' table  [name, column kinds ('n' number / 'b' bytes, one per column), column names...]
//          'R' row    [one value per column of the last table]
//          'E' end    [row count, CRC-32C of every byte before this frame] (decimal text)
//
// Guarantees: the writer produces the same bytes for the same values; the reader hands out
// frames only while they are well-formed, and next() ends (nullopt) only when the end frame's row
// count and CRC match everything read: a truncated or corrupted file is a SnapshotError, found
// without allocating more than the file holds (tests/fuzz/snapshot_stream_fuzz.cc).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/crc.hpp>

namespace taskraft::store {

using FrameValues = std::vector<std::optional<std::string>>;
using Crc32c = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

struct Frame {
  char kind = 0;
  FrameValues values;
};

class SnapshotWriter {
 public:
  // Writes to `path` + ".tmp"; commit() syncs it and renames it to `path`.
  explicit SnapshotWriter(const std::filesystem::path& path);
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  void frame(char kind, const FrameValues& values);  // kind 'H', 'T' or 'R'
  void row(const FrameValues& values) { frame('R', values); }
  // Writes the end frame and publishes the file; returns its CRC-32C.
  std::uint32_t commit();
  std::uint64_t rows() const { return rows_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  void write(const std::string& bytes);

  std::filesystem::path path_, tmp_;
  std::FILE* f_ = nullptr;
  Crc32c crc_;
  std::uint64_t rows_ = 0, bytes_ = 0;
};

class SnapshotReader {
 public:
  explicit SnapshotReader(const std::filesystem::path& path);
  ~SnapshotReader();
  SnapshotReader(const SnapshotReader&) = delete;
  SnapshotReader& operator=(const SnapshotReader&) = delete;

  // The next frame, or nullopt once the end frame has been read and verified.
  std::optional<Frame> next();
  std::uint32_t checksum() const { return checksum_; }
  std::uint64_t rows() const { return rows_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::string read_exactly(std::size_t n);

  std::FILE* f_ = nullptr;
  std::uint64_t size_ = 0;  // the file's, so that no length read from it asks for more
  Crc32c crc_;
  std::uint32_t checksum_ = 0;
  std::uint64_t rows_ = 0, bytes_ = 0;
  bool done_ = false;
};

}  // namespace taskraft::store

// The record framing of a WAL segment: how one record is laid out in bytes and how to tell an
// intact record from a damaged or incomplete one.
//
// Layout (little-endian), 20 header bytes then the payload:
//   u32 crc32c   over every byte after it: the rest of the header and the payload
//   u32 length   of the payload
//   u64 batch    sequence number of the sync batch the record belongs to
//   u8  kind     RecordKind
//   u8  flags    bit 0: last record of its batch; other bits zero
//   u16 reserved zero
// The payload is the protobuf encoding from wire/raft_codec.h for the kind.
//
// Batches: everything a caller writes between two syncs is one batch, written with one write
// and one fdatasync. Numbering batches and marking their last record lets recovery treat a batch
// as all-or-nothing and tell a torn last batch (all damage and leftovers belong to one batch)
// from damage to an earlier one.
//
// Guarantees: parse_record accepts a record only if every header field is well-formed and the
// checksum matches, so a single flipped bit anywhere in a record (header or payload) makes it
// kCorrupt; a record cut short by the end of the bytes is kIncomplete. It never reads outside
// the given bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace taskraft::wal {

enum class RecordKind : std::uint8_t {
  kEntry = 1,         // raft::Entry; a later entry at an existing index replaces it and its suffix
  kHardState = 2,     // raft::HardState; the last one wins
  kSnapshotMark = 3,  // raft::SnapshotMeta: the state machine holds everything up to it
};

inline constexpr std::size_t kRecordHeaderSize = 20;
// Larger lengths are damage, not data: no single Raft entry comes near this.
inline constexpr std::uint32_t kMaxRecordPayload = 1u << 30;

struct Record {
  RecordKind kind = RecordKind::kEntry;
  std::uint64_t batch = 0;
  bool batch_end = false;
  std::string_view payload;
};

// Appends the encoded record to `out`.
void append_record(std::string& out, const Record& r);

enum class ParseStatus : std::uint8_t { kOk, kIncomplete, kCorrupt };

struct ParsedRecord {
  ParseStatus status = ParseStatus::kCorrupt;
  Record record;          // valid when kOk; payload points into the parsed bytes
  std::size_t size = 0;   // bytes the record occupies, when kOk
  const char* problem = "";  // why it is not kOk, for error messages
};

ParsedRecord parse_record(std::string_view bytes, std::size_t pos);

}  // namespace taskraft::wal

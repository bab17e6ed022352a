// Reading one segment: which records belong to complete batches, where the segment's data ends, and
// whether what follows the complete batches is a torn tail (to be cleared) or damage (an error).
//
// A batch is complete when its last record (the one flagged batch_end) is intact. Recovery keeps
// complete batches only, so a batch is all-or-nothing after a crash.
//
// CLEAN END: a segment ends at the end of its last complete batch when nothing follows it, or when
// every byte from there to the end of the file is zero (the unused rest of a preallocated segment),
// in every segment, the last one or not. This is decided only where a record fails to parse: zero
// bytes that end an intact record's payload are data, never trimmed.
//
// Anything else after the last complete batch (an unfinished batch, or non-zero bytes after the
// zeros) is a TORN TAIL, reported for clearing, when all of these hold: the segment is the last
// one; the unfinished batch is not the segment's first batch (that one is written whole before the
// segment gets its name); and no intact record of any other batch follows the first damaged byte.
// The last rule is what tells a crash during the last write (whose pages may reach the disk in any
// order, leaving holes of zeros in one batch) from damage to data that was synced before: damage
// followed by intact later batches is never a torn write. Everything else is an error naming the
// file and offset; recovery never skips damage. The torn bytes run from valid_size to the last
// non-zero byte of the file (torn_end).
//
// Limits: damage confined to the last batch looks exactly like a torn write and is cleared as one;
// zeros in place of a segment's last complete batches look like its clean end (in a segment that is
// not the last, recovery sees the loss in the next segment's first batch number); the search for
// intact records looks inside the damaged batch's bytes too, so payload bytes that happen to form
// an intact record of another batch turn a torn tail into an error (the safe side). The search
// stops at the last non-zero byte (no record starts in the zeros after it), so it stays cheap in a
// large, mostly empty segment.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wal/record.h"
#include "wal/segment.h"

namespace taskraft::wal {

struct ScannedRecord {
  Record record;             // payload points into the scanned bytes
  std::uint64_t offset = 0;  // of the record's first byte in the file
};

struct SegmentScan {
  SegmentHeader header;
  std::vector<ScannedRecord> records;  // of complete batches, in file order
  std::uint64_t valid_size = 0;        // bytes through the end of the last complete batch
  std::uint64_t next_batch = 0;        // the number the batch after these gets
  std::string torn;  // non-empty: the bytes after valid_size are a torn tail, and why
  std::uint64_t torn_end = 0;  // with `torn`: one past the torn tail's last non-zero byte
};

// `file` is only for messages. Throws WalError for everything that is not a torn tail.
SegmentScan scan_segment(const std::filesystem::path& file, std::string_view bytes, bool last);

}  // namespace taskraft::wal

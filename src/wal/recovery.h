// Recovery: rebuilding the Raft log's durable state from the segments of a WAL directory.
//
// Reads every segment in sequence order and replays its complete batches: the last hard state
// and snapshot mark win, entries follow the rules of log_shape.h. It checks that the segments
// form one unbroken history (sequence numbers without gaps, each segment's header agreeing with
// its name, batch numbers continuing from one segment into the next, entries starting right
// after the snapshot point) and that every intact record decodes.
//
// A segment's data ends at the end of its last complete batch; zeros after it are the unused
// rest of a preallocated segment (segment_scan.h). last_size is where the last segment's data
// ends, which is where writing goes on, whatever the file's size.
//
// Repairs, each reported in `notes`: a torn tail of the last segment is overwritten with zeros
// (from the end of the last complete batch to the last non-zero byte) and fdatasync'd before
// recovery returns, so the file keeps its size and its preallocated blocks (see segment_scan.h for
// what counts as torn); and leftover "*.wal.tmp" files (an interrupted segment creation, or a
// spare segment prepared ahead of time and never used) are removed. Anything else that is wrong
// throws a WalError naming the file and offset; recovery never returns entries past damage.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "raft/raft.h"

namespace taskraft::wal {

// A segment of the live log.
struct SegmentFile {
  std::filesystem::path path;
  std::uint64_t seq = 0;
  std::optional<raft::Index> max_index;  // highest entry index ever written in it, if any
};

struct Recovery {
  raft::InitialState state;
  std::vector<SegmentFile> segments;  // in sequence order; empty for a new log
  std::uint64_t last_size = 0;        // where the last segment's data ends, after any repair
  std::uint64_t next_batch = 1;       // the number the next batch gets
  std::vector<std::string> notes;     // repairs made, for the caller to log
};

Recovery recover(const std::filesystem::path& dir);

}  // namespace taskraft::wal

// Recovery: rebuilding the Raft log's durable state from the segments of a WAL directory.
//
// Reads every segment in sequence order and replays its complete batches: the last hard state
// and snapshot mark win, entries follow the rules of log_shape.h. It checks that the segments
// form one unbroken history (sequence numbers without gaps, each segment's header agreeing with
// its name, batch numbers continuing from one segment into the next, entries starting right
// after the snapshot point) and that every intact record decodes.
//
// Repairs, each reported in `notes`: a torn tail of the last segment is cut off with ftruncate
// and fdatasync before recovery returns (see segment_scan.h for what counts as torn), and
// leftover "*.wal.tmp" files from an interrupted segment creation are removed. Anything else
// that is wrong throws a WalError naming the file and offset; recovery never returns entries
// past damage.
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
  std::uint64_t last_size = 0;        // size of the last segment after any repair
  std::uint64_t next_batch = 1;       // the number the next batch gets
  std::vector<std::string> notes;     // repairs made, for the caller to log
};

Recovery recover(const std::filesystem::path& dir);

}  // namespace taskraft::wal

// Implements recovery.h: list, scan, check and replay the segments; repair a torn tail.
#include "wal/recovery.h"

#include <algorithm>

#include "wal/file.h"
#include "wal/log_shape.h"
#include "wal/segment.h"
#include "wal/segment_scan.h"
#include "wal/wal_error.h"
#include "wire/raft_codec.h"

namespace taskraft::wal {
namespace {

namespace fs = std::filesystem;

struct Listed {
  fs::path path;
  SegmentHeader named;  // seq and first index from the file name
};

// The segments of `dir` in sequence order, after removing leftover temporary files.
std::vector<Listed> list_segments(const fs::path& dir, std::vector<std::string>& notes) {
  std::vector<Listed> listed;
  std::vector<fs::path> leftovers;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.ends_with(std::string(kSegmentSuffix) + std::string(kTempSuffix))) {
      leftovers.push_back(it->path());
    } else if (auto named = parse_segment_name(name)) {
      listed.push_back({it->path(), *named});
    }
  }
  if (ec) throw WalError(dir, std::nullopt, "list directory: " + ec.message());
  for (const auto& p : leftovers) {
    remove_file(p);
    notes.push_back("removed " + p.string() + ", left by an interrupted segment creation");
  }
  if (!leftovers.empty()) sync_dir(dir);

  std::sort(listed.begin(), listed.end(),
            [](const Listed& a, const Listed& b) { return a.named.seq < b.named.seq; });
  for (std::size_t i = 1; i < listed.size(); ++i) {
    if (listed[i].named.seq != listed[i - 1].named.seq + 1) {
      throw WalError(listed[i].path, std::nullopt,
                     "segment sequence broken: the previous segment is " +
                         listed[i - 1].path.filename().string() + ", segments in between are missing");
    }
  }
  return listed;
}

template <typename T>
T decoded(std::optional<T> value, const fs::path& file, std::uint64_t offset, const char* kind) {
  if (!value) throw WalError(file, offset, std::string("intact ") + kind + " record does not decode");
  return std::move(*value);
}

void replay(const fs::path& file, const SegmentScan& scan, LogShape<raft::Entry>& log,
            raft::HardState& hard, std::optional<raft::Index>& max_index) {
  for (const auto& r : scan.records) {
    switch (r.record.kind) {
      case RecordKind::kEntry: {
        raft::Entry e = decoded(wire::decode_entry(r.record.payload), file, r.offset, "entry");
        max_index = std::max(max_index.value_or(0), e.index);
        log.append(std::move(e));
        break;
      }
      case RecordKind::kHardState:
        hard = decoded(wire::decode_hard_state(r.record.payload), file, r.offset, "hard state");
        break;
      case RecordKind::kSnapshotMark:
        log.mark_snapshot(
            decoded(wire::decode_snapshot_meta(r.record.payload), file, r.offset, "snapshot mark"));
        break;
    }
  }
}

void check_header(const Listed& seg, const SegmentHeader& header, const Recovery& so_far) {
  if (header.seq != seg.named.seq || header.first_index != seg.named.first_index) {
    throw WalError(seg.path, 0,
                   "header says segment " + segment_name(header.seq, header.first_index) +
                       ", which is not the file's name");
  }
  if (!so_far.segments.empty() && header.first_batch != so_far.next_batch) {
    throw WalError(seg.path, 0,
                   "segment starts at batch " + std::to_string(header.first_batch) +
                       " but the previous segment ends before batch " +
                       std::to_string(so_far.next_batch) + ": data is missing between them");
  }
}

}  // namespace

Recovery recover(const fs::path& dir) {
  Recovery rec;
  LogShape<raft::Entry> log;
  auto listed = list_segments(dir, rec.notes);
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const Listed& seg = listed[i];
    std::string bytes = read_whole_file(seg.path);
    SegmentScan scan = scan_segment(seg.path, bytes, i + 1 == listed.size());
    check_header(seg, scan.header, rec);

    SegmentFile live{seg.path, seg.named.seq, std::nullopt};
    replay(seg.path, scan, log, rec.state.hard, live.max_index);
    if (!scan.torn.empty()) {
      // Cleared with zeros, not cut off: the file keeps its preallocated size, and writing goes
      // on at valid_size over the zeros.
      File f = File::open_existing(seg.path);
      f.write_zeros(scan.valid_size, scan.torn_end - scan.valid_size);
      f.datasync();
      rec.notes.push_back(seg.path.string() + ": torn tail: " + scan.torn +
                          ", overwritten with zeros (the file keeps its size)");
    }
    rec.segments.push_back(std::move(live));
    rec.next_batch = scan.next_batch;
    rec.last_size = scan.valid_size;
  }
  if (auto hole = log.hole()) throw WalError(dir, std::nullopt, *hole);
  rec.state.snapshot = log.snapshot();
  rec.state.entries.assign(std::make_move_iterator(log.items().begin()),
                           std::make_move_iterator(log.items().end()));
  return rec;
}

}  // namespace taskraft::wal

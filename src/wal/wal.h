// The durable Raft log of one node: what raft.h's persistence contract asks the node to make
// durable (entries, hard state, snapshot points), kept in segment files in one directory.
//
// Use (one Ready at a time, from one thread; Wal is not thread-safe):
//   auto [wal, initial, notes] = Wal::open(dir);      // log `notes`, start raft with `initial`
//   wal.save_snapshot(*rd.snapshot);                   // if the Ready has one
//   wal.append(rd.entries);
//   if (rd.hard_state) wal.save_hard_state(*rd.hard_state);
//   wal.sync();                                         // one write + one fdatasync: group commit
//
// Segments are preallocated: each new segment file is WalOptions::segment_bytes of zeros, made
// durable before it is named, and batches overwrite the zeros in place (an fdatasync then has no
// file-size change to commit). The next segment's file is prepared by a background thread (one
// spare at a time, segment_preparer.h) once the active segment is half full, so a sync that
// starts a segment only waits for it if it is not ready yet, and a log that stays small (a test
// cluster) costs one segment of disk, not two; the very first segment of a new log is prepared
// while open() waits. That thread touches nothing but the spare file; the interface stays
// single-threaded.
//
// Guarantees:
//   - Durability: nothing counts as written before sync() returns; once it has returned, all that
//     was appended and saved since the previous sync survives a crash or power loss. Everything of
//     one sync is one batch, and a batch is all-or-nothing after a crash.
//   - Recovery (open) returns the last saved hard state, the last snapshot point, and the entries
//     after it, with a later entry at an existing index replacing that entry and all after it.
//     Zeros after a segment's last complete batch are its unused rest. A torn tail (an unfinished
//     last batch) is overwritten with zeros (the file keeps its size) and reported in `notes`; any
//     other damage throws a WalError naming the file and offset, never serving wrong data
//     (recovery.h). Writing goes on right after the last complete batch, in a preallocated
//     segment or in one written by an older build (file size == data size, extended as written).
//   - Compaction removes only whole segments, oldest first, and never an entry above the durable
//     snapshot point; the newest segment always holds the latest hard state and snapshot mark
//     (each new segment starts with a copy of them), so removing older ones loses neither.
//   - I/O failures throw WalError, and so does a failure to prepare the spare, from the sync that
//     needed it. After a failed sync or compaction the Wal refuses further use (the kernel may
//     have dropped the unsynced pages): reopen it to continue from what is on disk.
//   - One process at a time: open takes an exclusive lock on "<dir>/LOCK". Destroying (or
//     move-assigning over) a Wal waits for the background preparation and removes the unused
//     spare before the lock is released.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "raft/raft.h"
#include "wal/file.h"
#include "wal/log_shape.h"
#include "wal/recovery.h"
#include "wal/record.h"
#include "wal/segment_preparer.h"

namespace taskraft::wal {

struct WalOptions {
  // The size a new segment file is preallocated to (zeros). A sync that finds the active segment
  // holding at least this much data first starts a new segment. A batch is never split, so a
  // segment can exceed this by one batch (the file grows as it is written past its end).
  // 8 MiB (as LogCabin): a new segment costs ~10 ms of zero-filling in the background, and a
  // node that writes little keeps little on disk.
  std::uint64_t segment_bytes = 8ull << 20;
};

struct WalOpened;

class Wal {
 public:
  // Opens the log in `dir`, creating the directory and a first segment on first use.
  static WalOpened open(const std::filesystem::path& dir, const WalOptions& options = {});

  Wal(Wal&&) noexcept = default;
  Wal& operator=(Wal&&) noexcept = default;
  ~Wal();

  // Entries must be contiguous, and the first must lie in (snapshot index, last_index() + 1]: an
  // entry at an index already in the log replaces it and everything after it. Throws
  // std::invalid_argument otherwise.
  void append(const std::vector<raft::Entry>& entries);
  void save_hard_state(const raft::HardState& hs);
  // Records that the state machine holds everything up to meta.index. Entries at or below it are
  // dropped on recovery; if the log's entry at meta.index has another term, so is everything
  // after it. Throws std::invalid_argument for a point older than the last one saved.
  void save_snapshot(const raft::SnapshotMeta& meta);
  // Makes everything appended and saved since the last sync durable (one write, one fdatasync;
  // a new segment first if the active one is full). A no-op when nothing is pending.
  void sync();
  // Removes the oldest segments whose entries all lie at or below min(index, durable snapshot
  // index); never the active segment. Returns how many were removed.
  std::size_t compact(raft::Index index);

  // Last index of the log including unsynced appends (the snapshot index when it has no entries).
  raft::Index last_index() const { return shape_.last_index(); }
  std::size_t segment_count() const { return segments_.size(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct Pending {
    RecordKind kind;
    std::string payload;
  };

  Wal(std::filesystem::path dir, const WalOptions& options, File lock, Recovery& rec);
  void check_usable() const;
  // Encodes `records` as batch next_batch_ into buffer_ (after what it holds) and advances it.
  void encode_batch(const std::vector<Pending>& records);
  // Takes the spare (preparing it now if there is none) and makes it the active segment; the
  // next spare is started by prepare_spare_when_due().
  void start_segment(raft::Index first_index);
  // Starts preparing the next segment's file once the active one is half full (none yet).
  void prepare_spare_when_due();

  std::filesystem::path dir_;
  WalOptions options_;
  // Before lock_, so that move-assignment disposes of the old spare while the old lock is held;
  // ~Wal disposes of it first for the same reason.
  std::optional<SegmentPreparer> spare_;
  File lock_;
  std::optional<File> active_;         // the last of segments_, open for writing
  std::uint64_t active_size_ = 0;      // where the active segment's data ends
  std::vector<SegmentFile> segments_;
  LogShape<IndexTerm> shape_;          // including unsynced appends and marks
  raft::HardState hard_;               // the latest saved, synced or not
  raft::HardState durable_hard_;
  raft::SnapshotMeta durable_snapshot_;
  std::vector<Pending> pending_;
  std::optional<raft::Index> pending_min_index_;  // lowest entry index in pending_
  std::optional<raft::Index> pending_max_index_;  // highest entry index in pending_
  std::uint64_t next_batch_ = 1;
  std::string buffer_;
  bool failed_ = false;
};

struct WalOpened {
  Wal wal;
  raft::InitialState state;
  std::vector<std::string> notes;  // repairs recovery made, for the caller to log
};

}  // namespace taskraft::wal

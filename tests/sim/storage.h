// The disk of one simulated node: its Raft log, hard state and snapshot point, written the way a
// real WAL writes them.
//
// Step 4 of the persistence contract (raft.h) stages records (entries, then the hard state) and
// sync() makes them durable. A crash keeps a random prefix of what was staged but not synced
// (a torn tail: data that was written but never fdatasync'ed may or may not have reached the
// platter, in order) and loses the rest; everything synced survives every crash. Snapshot points
// (step 3) and compactions are their own synced writes.
//
// Writes that break the WAL's own rules (a gap in the log, an entry under the snapshot point, a
// term going backwards, a second vote in one term, a commit index going backwards) are
// persistence-contract violations of the core and are reported as such.
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "raft/raft.h"
#include "rng.h"

namespace taskraft::sim {

class Storage {
 public:
  // A fresh disk: the log starts after `start` (index 0 and the initial voters, or nothing at all
  // for a node joining an existing cluster).
  explicit Storage(const raft::SnapshotMeta& start) : snap_(start) {}

  void stage_entries(const std::vector<raft::Entry>& entries);
  void stage_hard_state(const raft::HardState& hs);
  bool has_staged() const { return !staged_.empty(); }
  void sync();
  // Power loss: a random prefix of the staged records survives, the rest is gone.
  void crash(Rng& rng);

  // Records a snapshot point durably and discards the whole log (the core hands out a snapshot
  // only when the log does not match it).
  void install_snapshot(const raft::SnapshotMeta& meta);
  // Drops the log up to and including `point.index`, which must be in the log with `point.term`.
  void compact(const raft::SnapshotMeta& point);

  // What a restarting core is given. The commit index is raised to the snapshot point when a
  // crash struck between recording the snapshot point and writing the hard state that came
  // with it: a snapshot point is committed by definition.
  raft::InitialState initial_state() const;

  const raft::HardState& hard_state() const { return hard_; }
  const raft::SnapshotMeta& snapshot() const { return snap_; }
  raft::Index last_index() const { return snap_.index + log_.size(); }
  // The durable term at `index`: the snapshot point's or a log entry's; nullopt outside.
  std::optional<raft::Term> term_at(raft::Index index) const;
  const raft::Entry* entry_at(raft::Index index) const;

 private:
  using Record = std::variant<raft::Entry, raft::HardState>;
  void write(const Record& r);

  raft::HardState hard_;
  raft::SnapshotMeta snap_;
  std::vector<raft::Entry> log_;  // contiguous, starting at snap_.index + 1
  std::vector<Record> staged_;
};

}  // namespace taskraft::sim

// What a leader knows about one follower's log, and how fast it may send to it (flow control).
//
// States, as in etcd-io/raft:
//   kProbe      the leader does not know where the follower's log matches; it sends one
//               AppendEntries at a time (probe_sent) and waits for the answer or a heartbeat reply.
//   kReplicate  the follower is known to match up to `match`; the leader streams entries
//               optimistically, at most `max_inflight` AppendEntries unacknowledged at a time.
//   kSnapshot   the follower needs a snapshot; nothing else is sent until it acknowledges one.
// Guarantees: match < next always; match only moves forward; the inflight window holds the
// last index of each unacknowledged AppendEntries in increasing order and never more than its size.
#pragma once

#include <cstddef>
#include <vector>

#include "raft/raft.h"
#include "raft/types.h"

namespace taskraft::raft {

// The sliding window of in-flight AppendEntries to one follower: a ring of their last indexes.
class Inflights {
 public:
  explicit Inflights(std::size_t capacity);

  bool full() const { return count_ == ring_.size(); }
  std::size_t count() const { return count_; }
  // Records a message whose last entry is `last`; the window must not be full.
  void add(Index last);
  // The follower acknowledged up to `index`: frees every message ending at or before it.
  void free_le(Index index);
  // Frees the oldest message (a heartbeat reply proves the follower alive while the window is
  // full, so one more message may probe what happened to the rest).
  void free_first_one();
  void reset() { start_ = count_ = 0; }

 private:
  std::vector<Index> ring_;
  std::size_t start_ = 0;
  std::size_t count_ = 0;
};

class Progress {
 public:
  Progress(Index next, std::size_t max_inflight, bool voter);

  Index match = 0;
  Index next = 1;
  ProgressState state = ProgressState::kProbe;
  bool probe_sent = false;      // kProbe: an AppendEntries is out and unanswered
  bool recent_active = false;   // heard from it since the last check-quorum round
  bool voter = true;
  Index pending_snapshot = 0;   // kSnapshot: the index of the snapshot sent
  Index sent_commit = 0;        // the highest commit index sent to it in an AppendEntries
  // A heartbeat reply showed it alive but behind while nothing new was left to send: send an
  // AppendEntries anyway (empty if need be), so that a lost message shows up as a rejection.
  bool resync = false;
  Inflights inflights;

  void become_probe();
  void become_replicate();
  void become_snapshot(Index snapshot_index);

  // An acknowledgement up to `index`; false if it is stale (not newer than match).
  bool maybe_update(Index index);
  // A rejection of the AppendEntries after `rejected`, with the follower's hint that its log
  // may match up to `match_hint`. Returns false if the rejection is stale.
  bool maybe_decr_to(Index rejected, Index match_hint);
  // An AppendEntries carrying entries up to `last` (`count` entries) has been sent.
  void sent_entries(std::size_t count, Index last);
  // No AppendEntries with entries may be sent now.
  bool paused() const;
};

}  // namespace taskraft::raft

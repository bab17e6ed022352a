// Per-follower replication progress and its flow-control window; see progress.h.
#include "raft/progress.h"

#include <algorithm>
#include <cassert>

namespace taskraft::raft {

Inflights::Inflights(std::size_t capacity) : ring_(std::max<std::size_t>(capacity, 1)) {}

void Inflights::add(Index last) {
  assert(!full());
  assert(count_ == 0 || ring_[(start_ + count_ - 1) % ring_.size()] < last);
  ring_[(start_ + count_) % ring_.size()] = last;
  ++count_;
}

void Inflights::free_le(Index index) {
  while (count_ > 0 && ring_[start_] <= index) {
    start_ = (start_ + 1) % ring_.size();
    --count_;
  }
  if (count_ == 0) start_ = 0;
}

void Inflights::free_first_one() {
  if (count_ > 0) free_le(ring_[start_]);
}

Progress::Progress(Index next_index, std::size_t max_inflight, bool is_voter)
    : next(next_index), voter(is_voter), inflights(max_inflight) {
  assert(match < next);
}

void Progress::become_probe() {
  // After a snapshot the follower is at least at the snapshot's index.
  next = std::max(match + 1, state == ProgressState::kSnapshot ? pending_snapshot + 1 : 0);
  state = ProgressState::kProbe;
  probe_sent = false;
  pending_snapshot = 0;
  inflights.reset();
}

void Progress::become_replicate() {
  next = match + 1;
  state = ProgressState::kReplicate;
  probe_sent = false;
  pending_snapshot = 0;
  inflights.reset();
}

void Progress::become_snapshot(Index snapshot_index) {
  state = ProgressState::kSnapshot;
  probe_sent = false;
  pending_snapshot = snapshot_index;
  inflights.reset();
}

bool Progress::maybe_update(Index index) {
  if (index <= match) return false;
  match = index;
  next = std::max(next, index + 1);
  probe_sent = false;
  return true;
}

bool Progress::maybe_decr_to(Index rejected, Index match_hint) {
  if (state == ProgressState::kReplicate) {
    if (rejected <= match) return false;  // an answer to a message older than what is acked
    next = match + 1;
    return true;
  }
  if (next == 0 || next - 1 != rejected) return false;  // not the answer to the current probe
  next = std::max(std::min(rejected, match_hint + 1), match + 1);
  probe_sent = false;
  return true;
}

void Progress::sent_entries(std::size_t count, Index last) {
  switch (state) {
    case ProgressState::kReplicate:
      if (count > 0) {
        next = last + 1;
        inflights.add(last);
      }
      break;
    case ProgressState::kProbe:
      probe_sent = true;
      break;
    case ProgressState::kSnapshot:
      assert(false && "no AppendEntries while a snapshot is pending");
  }
}

bool Progress::paused() const {
  switch (state) {
    case ProgressState::kProbe: return probe_sent;
    case ProgressState::kReplicate: return inflights.full();
    case ProgressState::kSnapshot: return true;
  }
  return true;
}

}  // namespace taskraft::raft

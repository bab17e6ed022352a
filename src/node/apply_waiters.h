// The requests waiting for this node's state machine: proposals waiting for their entry to be
// applied, and reads waiting for the store to reach an index.
//
// Thread-safe. Callbacks run outside the internal lock, on the thread that completes them (the
// apply thread, or the raft thread for expiry), and each waiter is completed exactly once:
//  - a proposal (index, term) completes kOk with its outcome when the entry at `index` is decided
//    with that term (on_decided, before the store commits it); if an entry of another term is
//    there, the proposal was overwritten and fails with kNotLeader (it never took effect, so a
//    retry is safe). Several proposals may wait at one index, in different terms: a follower
//    relayed one to a leader that lost it before it was replicated, then another to the next
//    leader, which gave the same index to it; the term of the entry decided there answers both;
//  - a read completes kOk once the applied index is >= its index;
//  - a proposal passed over by an installed snapshot fails with kTimeout (its fate is unknown);
//  - either fails with kTimeout once its deadline passes, or with the given error on shutdown.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "node/service.h"
#include "raft/types.h"
#include "store/outcome.h"

namespace taskraft::node {

struct AppliedEntry {
  raft::Index index = 0;
  raft::Term term = 0;
  store::Outcome outcome;
};

class ApplyWaiters {
 public:
  // `proposed_at`: when the write was proposed (observe_decided() times it from then).
  void add_proposal(raft::Index index, raft::Term term, Deadline deadline,
                    std::function<void(WriteResult)> done, Clock::time_point proposed_at = Clock::now());
  void add_read(raft::Index index, Deadline deadline, std::function<void(ReadResult)> done);
  // The outcomes of `entries` are decided (the store commits them later): their proposals
  // complete now. Apply is deterministic, so entries decided again after a failed commit end the
  // same way; they are committed in the log, so they take effect whatever happens to this node.
  void on_decided(const std::vector<AppliedEntry>& entries);
  // The store committed everything up to `applied`: reads waiting for it complete.
  void on_applied(raft::Index applied);
  void expire(Clock::time_point now);
  void fail_all(Error error);
  // This node stopped leading: its pending proposals may still commit under another leader or
  // never, so they end at once as kTimeout (outcome unknown), not at their deadline. Reads wait
  // on: their index was confirmed while leading and is still a correct point to serve.
  void leadership_lost();
  raft::Index applied() const;
  // The highest index decided (or applied): entries above it are still on their way.
  raft::Index decided() const;
  // The lowest index a proposal or read waits for (0 when none waits): what commit pacing needs.
  raft::Index first_waited() const;
  // Called, outside the lock, each time a waiter starts waiting for an index not applied yet.
  // Set once, before any thread uses this object.
  void on_wait(std::function<void(raft::Index)> hook) { on_wait_ = std::move(hook); }
  // Called, outside the lock, with the seconds from add_proposal() to on_decided() of each
  // proposal completed kOk: replication to a majority, commit and the apply thread's queue.
  // Set once, before any thread uses this object.
  void observe_decided(std::function<void(double)> observe) { observe_decided_ = std::move(observe); }

 private:
  using Writes = std::vector<std::pair<std::function<void(WriteResult)>, WriteResult>>;
  void fail_proposals(Error error);

  struct Proposal {
    raft::Term term;
    Deadline deadline;
    std::function<void(WriteResult)> done;
    Clock::time_point proposed_at;
  };
  struct Read {
    Deadline deadline;
    std::function<void(ReadResult)> done;
  };

  std::function<void(raft::Index)> on_wait_;
  std::function<void(double)> observe_decided_;
  mutable std::mutex mu_;
  raft::Index applied_ = 0;
  raft::Index decided_ = 0;
  std::multimap<raft::Index, Proposal> proposals_;
  std::multimap<raft::Index, Read> reads_;
};

}  // namespace taskraft::node

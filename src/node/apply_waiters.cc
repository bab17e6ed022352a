// Implements apply_waiters.h.
#include "node/apply_waiters.h"

#include <algorithm>
#include <cassert>

namespace taskraft::node {

void ApplyWaiters::add_proposal(raft::Index index, raft::Term term, Deadline deadline,
                                std::function<void(WriteResult)> done, Clock::time_point proposed_at) {
  {
    std::lock_guard lock(mu_);
    // Registered by the raft thread right after propose() (or, for a write relayed to the leader,
    // on its answer), before the entry can reach the store.
    assert(index > applied_);
    proposals_.emplace(index, Proposal{term, deadline, std::move(done), proposed_at});
  }
  if (on_wait_) on_wait_(index);
}

void ApplyWaiters::add_read(raft::Index index, Deadline deadline, std::function<void(ReadResult)> done) {
  raft::Index applied;
  bool waits = false;
  {
    std::lock_guard lock(mu_);
    applied = applied_;
    if (index > applied_) {
      reads_.emplace(index, Read{deadline, std::move(done)});
      waits = true;
    }
  }
  if (!waits) return done(ReadResult{Error::kOk, applied});
  if (on_wait_) on_wait_(index);
}

void ApplyWaiters::on_decided(const std::vector<AppliedEntry>& entries) {
  Writes writes;
  std::vector<double> took;
  const Clock::time_point now = Clock::now();
  {
    std::lock_guard lock(mu_);
    if (!entries.empty()) decided_ = std::max(decided_, entries.back().index);
    for (const auto& e : entries) {
      auto [first, last] = proposals_.equal_range(e.index);
      for (auto it = first; it != last; ++it) {
        WriteResult r;
        if (it->second.term == e.term) {
          r = WriteResult{Error::kOk, e.outcome, e.index, e.term};
          took.push_back(std::chrono::duration<double>(now - it->second.proposed_at).count());
        } else {
          r.error = Error::kNotLeader;
        }
        writes.emplace_back(std::move(it->second.done), std::move(r));
      }
      proposals_.erase(first, last);
    }
  }
  for (auto& [done, r] : writes) done(std::move(r));
  if (observe_decided_) {
    for (double seconds : took) observe_decided_(seconds);
  }
}

void ApplyWaiters::on_applied(raft::Index applied) {
  Writes writes;
  std::vector<std::function<void(ReadResult)>> reads;
  {
    std::lock_guard lock(mu_);
    assert(applied >= applied_);
    applied_ = applied;
    decided_ = std::max(decided_, applied);
    // Proposals at or below the applied index that no decided entry answered were passed over by
    // an installed snapshot: whether they took effect is unknown here, so they end as a timeout.
    for (auto it = proposals_.begin(); it != proposals_.end() && it->first <= applied;) {
      writes.emplace_back(std::move(it->second.done), WriteResult{Error::kTimeout, {}, 0, 0});
      it = proposals_.erase(it);
    }
    auto end = reads_.upper_bound(applied);
    for (auto it = reads_.begin(); it != end; ++it) reads.push_back(std::move(it->second.done));
    reads_.erase(reads_.begin(), end);
  }
  for (auto& [done, r] : writes) done(std::move(r));
  for (auto& done : reads) done(ReadResult{Error::kOk, applied});
}

void ApplyWaiters::expire(Clock::time_point now) {
  std::vector<std::function<void(WriteResult)>> writes;
  std::vector<std::function<void(ReadResult)>> reads;
  {
    std::lock_guard lock(mu_);
    for (auto it = proposals_.begin(); it != proposals_.end();) {
      if (it->second.deadline <= now) {
        writes.push_back(std::move(it->second.done));
        it = proposals_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto it = reads_.begin(); it != reads_.end();) {
      if (it->second.deadline <= now) {
        reads.push_back(std::move(it->second.done));
        it = reads_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& done : writes) done(WriteResult{Error::kTimeout, {}, 0, 0});
  for (auto& done : reads) done(ReadResult{Error::kTimeout, 0});
}

void ApplyWaiters::fail_all(Error error) {
  fail_proposals(error);
  std::multimap<raft::Index, Read> reads;
  {
    std::lock_guard lock(mu_);
    reads.swap(reads_);
  }
  for (auto& [i, r] : reads) r.done(ReadResult{error, 0});
}

void ApplyWaiters::fail_proposals(Error error) {
  std::multimap<raft::Index, Proposal> proposals;
  {
    std::lock_guard lock(mu_);
    proposals.swap(proposals_);
  }
  for (auto& [i, p] : proposals) p.done(WriteResult{error, {}, 0, 0});
}

void ApplyWaiters::leadership_lost() { fail_proposals(Error::kTimeout); }

raft::Index ApplyWaiters::first_waited() const {
  std::lock_guard lock(mu_);
  raft::Index first = 0;
  if (!proposals_.empty()) first = proposals_.begin()->first;
  if (!reads_.empty() && (first == 0 || reads_.begin()->first < first)) first = reads_.begin()->first;
  return first;
}

raft::Index ApplyWaiters::applied() const {
  std::lock_guard lock(mu_);
  return applied_;
}

raft::Index ApplyWaiters::decided() const {
  std::lock_guard lock(mu_);
  return decided_;
}

}  // namespace taskraft::node

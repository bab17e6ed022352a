// When the apply thread should hand what is queued to MySQL: at once, or a little later with more.
//
// A MySQL transaction has a fixed cost (statements, a commit, a round trip) that measured several
// times the cost of one more row in it, so applying many entries per transaction is much cheaper.
// But latency matters only to somebody who waits: a client whose write waits for its entry, or a
// read that waits for the applied index to reach its ReadIndex or min_index. So:
//   - as soon as somebody waits on an index that is queued, apply now (on the leader every client
//     write has a waiter, so the leader applies at once; so does a follower serving a
//     linearizable or min_index read);
//   - otherwise (a follower replicating writes that its own clients do not wait for) gather
//     entries until `max_entries` are queued or the oldest has waited `max_delay`.
// Guarantee: an entry queued is applied at the latest `max_delay` after it was queued (plus the
// time the transaction itself takes), so a stale read on a follower lags by at most that much
// more than replication; nothing anybody waits for is held back by pacing.
//
// Pure: no clock or thread of its own, the caller passes the time and the facts.
#pragma once

#include <chrono>
#include <cstddef>

#include "node/service.h"
#include "raft/types.h"

namespace taskraft::node {

struct ApplyPacing {
  std::chrono::milliseconds max_delay{10};
  std::size_t max_entries = 512;

  struct Queue {
    std::size_t entries = 0;          // entries queued and not yet applied
    raft::Index last_index = 0;       // the highest of them
    Clock::time_point oldest_since;   // when the oldest of them was queued
    bool other_work = false;          // a snapshot import is queued: it goes without delay
  };

  // The time to apply `q` (a time already past means at once), given the lowest index anybody
  // waits for (0 when nobody waits).
  Clock::time_point apply_at(const Queue& q, raft::Index first_waited) const {
    if (q.other_work || q.entries >= max_entries) return Clock::time_point::min();
    if (first_waited != 0 && first_waited <= q.last_index) return Clock::time_point::min();
    return q.oldest_since + max_delay;
  }
};

}  // namespace taskraft::node

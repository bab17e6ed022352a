// When the apply thread should commit the MySQL transaction it has applied entries to: at once,
// or a little later with more in it.
//
// The apply thread decides every committed entry as soon as it arrives (store.h decide()), and
// each write's client is answered then; the MySQL transaction holding the decided entries is
// committed later. A transaction has a fixed cost (the round trip with its queued rows, the
// meta row, the commit) that measured several times the cost of one more entry in it, so
// committing many entries at once is much cheaper. But the commit matters only to somebody who
// waits for it: a read that waits for the applied index to reach its ReadIndex or min_index (or
// a proposal not decided yet). So:
//   - as soon as somebody waits on an index the open transaction holds, commit now;
//   - otherwise gather entries until `max_entries` are in it or the oldest has waited `max_delay`.
// Guarantee: an entry decided is committed at the latest `max_delay` after it was decided (plus
// the time the commit itself takes), so a stale read lags by at most that much more than
// replication; nothing anybody waits for is held back by pacing.
//
// Pure: no clock or thread of its own, the caller passes the time and the facts.
#pragma once

#include <chrono>
#include <cstddef>

#include "node/service.h"
#include "raft/types.h"

namespace taskraft::node {

struct CommitPacing {
  std::chrono::milliseconds max_delay{10};
  std::size_t max_entries = 512;

  struct Open {
    std::size_t entries = 0;          // entries decided and not committed
    raft::Index last_index = 0;       // the highest of them
    Clock::time_point oldest_since;   // when the oldest of them was decided
  };

  // The time to commit `open` (a time already past means at once), given the lowest index
  // anybody waits for (0 when nobody waits).
  Clock::time_point commit_at(const Open& open, raft::Index first_waited) const {
    if (open.entries >= max_entries) return Clock::time_point::min();
    if (first_waited != 0 && first_waited <= open.last_index) return Clock::time_point::min();
    return open.oldest_since + max_delay;
  }
};

}  // namespace taskraft::node

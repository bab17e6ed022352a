// When the leader's raft thread gives writes to the Raft core: at once, or a little later
// together with the writes that arrive meanwhile.
//
// Each turn that appends costs about the same however many entries it carries: a WAL fsync on
// every node, one AppendEntries to each follower and its answer, one apply transaction, and a
// wakeup of every thread on the way. Under a heavy load the raft thread is busy while writes
// arrive, so they gather by themselves (group commit). Under a moderate load it is idle, and
// each write arriving pays all of that alone: measured at 4,500 creates/s on 2 cores, three
// times the CPU per create of a full load, and the queueing for a core that costs gives the
// latency tail. So a write may wait for others, but only where waiting can gather any:
//   - only while at least `siblings` entries are in flight (appended, not yet decided by this
//     node's apply thread): a lone client, whose next write waits for this one, never waits;
//   - at most `window` after the first write held, and not at all once `fill` commands are held.
// Once a write is held, every later one is held with it until they all go together (writes
// waiting at once are concurrent: any order among them is linearizable). The caller holds this
// node's clients' writes and the commands followers relay (kProp) alike.
//
// Pure: no clock or thread of its own, the caller passes the time and the facts.
#pragma once

#include <chrono>
#include <cstddef>

#include "node/service.h"
#include "raft/types.h"

namespace taskraft::node {

struct ProposeWindow {
  std::chrono::microseconds window{0};  // 0: never hold
  std::size_t fill = 16;
  raft::Index siblings = 4;

  // Whether commands arriving now are held, with `held` commands held already and `in_flight`
  // entries appended and not yet decided.
  bool holds(std::size_t held, raft::Index in_flight) const {
    return window.count() > 0 && (held > 0 || in_flight >= siblings);
  }
  // How many more commands may join the `held` ones without waking the caller: all but the one
  // that fills the window (its arrival, or the window's end, must wake it).
  std::size_t quiet(std::size_t held) const { return held + 1 < fill ? fill - held - 1 : 0; }
  // The time to give the `held` commands to the core (a time already past means at once), the
  // first of them held since `since`.
  Clock::time_point release_at(std::size_t held, Clock::time_point since) const {
    if (held >= fill) return Clock::time_point::min();
    return since + window;
  }
};

}  // namespace taskraft::node

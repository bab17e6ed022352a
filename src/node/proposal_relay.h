// The proposal relay: how a write that a follower received gets into the log. The follower does
// not pass the HTTP request on: it builds the command itself, as the leader would, and sends it
// to the leader over the peer link, at once from the thread that took the request (a kProp
// message); the leader proposes each as its own and answers (kPropResp) with the index
// and term it got; from then on the follower waits for that entry exactly as the leader waits
// for its own proposals (ApplyWaiters), and answers its client once its own state machine has
// decided it. The leader's HTTP server and the follower's HTTP client drop out of the write path.
//
// Guarantees:
// - Each relayed command's `done` runs exactly once: through the waiters once the leader has
//   placed it (the entry's outcome, or kNotLeader when an entry of another term took its place:
//   it never took effect); kNoLeader when the leader refused it (it no longer leads, or is
//   handing leadership over), so it never took effect either; kTimeout, the outcome unknown, when
//   the deadline passes before an answer or the leader this node follows changes before one came
//   (the old leader may have proposed it: at once, or at the next expire() for a command relayed
//   in that moment); the given error in fail_all().
// - The leader answers a kProp before the append that carries its entries, on the same ordered
//   link, so the follower waits for the index before it can apply it; an answer lost with a
//   broken link leaves the command to its deadline. Request numbers start at a random value, so
//   an answer meant for an earlier run of this node matches nothing.
// - A leader proposes a relayed command only while it leads in a term at least the sender's. The
//   raft loop relays only to a leader whose appends and heartbeats say it takes kProp
//   (raft::Message::takes_relay): a node of an older version would refuse the whole frame, so
//   during a rolling upgrade the API forwards the request over HTTP instead.
// Thread-safe: a follower's HTTP threads relay their writes themselves (RaftLoop::propose), the
// raft thread takes the answers and ends what is left unanswered; `done` runs outside the lock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "node/apply_waiters.h"
#include "node/service.h"
#include "raft/raft.h"
#include "raft/types.h"

namespace taskraft::node {

class ProposalRelay {
 public:
  // A follower relays only while its MySQL is up and has applied all but fewer than this many
  // committed entries: it answers from its own state machine, and further behind that could
  // outlast the request. Otherwise nothing is proposed, and the API forwards the request.
  static constexpr raft::Index kMaxApplyLag = 10000;

  ProposalRelay(raft::NodeId self, ApplyWaiters& waiters);

  // Follower: relays `data` to `leader`, which this node follows in `term`: returns the kProp
  // that carries it, for the caller to send at once.
  raft::Message relay(raft::NodeId leader, raft::Term term, std::string data, Deadline deadline,
                      std::function<void(WriteResult)> done);
  // Follower: a kPropResp from the leader.
  void answered(const raft::Message& answer);
  // Leader: proposes the commands of the kProp `m` through `propose` (the core's) while leading
  // in `term`, and returns an answer for each.
  static std::vector<raft::Message> place(raft::Message& m, raft::NodeId self, raft::Term term,
                                          const std::function<raft::ProposeResult(std::string)>& propose);

  // Ends as kTimeout what passed its deadline, and what went to another node than `leader` (the
  // one this node follows now, kNoNode for none): a write relayed along a route that went stale
  // as the leader changed.
  void expire(Clock::time_point now, raft::NodeId leader);
  // The leader this node follows changed: what the old one never answered ends as kTimeout.
  void leader_changed();
  void fail_all(Error error);
  // Relayed commands the leader has not answered yet.
  std::size_t unanswered() const;

 private:
  struct Relayed {
    raft::NodeId leader = raft::kNoNode;
    Deadline deadline;
    std::function<void(WriteResult)> done;
    Clock::time_point since;
  };

  // Ends `ended` with `error`, outside the lock.
  static void end(std::map<std::uint64_t, Relayed> ended, Error error);

  const raft::NodeId self_;
  ApplyWaiters& waiters_;
  mutable std::mutex mu_;  // guards next_request_ and unanswered_
  std::uint64_t next_request_;
  std::map<std::uint64_t, Relayed> unanswered_;
};

}  // namespace taskraft::node

// Linearizable reads on the leader (ReadIndex, Raft dissertation 6.4): read requests wait here
// until a heartbeat round proves that this node was still the leader after they arrived.
//
// Requests arriving between two rounds wait together; start_round() gives all of them one round
// (one heartbeat to every peer, one context) confirmed at the commit index of that moment. A new
// round starts only once the previous one is confirmed (ready_for_round()): under load, every read
// arriving during one heartbeat round trip shares the next round, so the heartbeats sent for reads
// stay at one per peer per round trip however many reads come. An unconfirmed round is not stuck
// by a lost heartbeat: its context rides on every periodic heartbeat (latest_context()).
// A round is confirmed once a majority of voters (the leader included) answered its heartbeat;
// confirming a round also confirms every older round, since those reads arrived even earlier.
// Guarantees: every request is returned exactly once, by ack() (confirmed) or take_all()
// (abandoned); rounds are confirmed in the order they started; round contexts never repeat
// during the lifetime of the object.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "raft/types.h"

namespace taskraft::raft {

struct ReadRequest {
  std::string context;
  NodeId from = kNoNode;  // the follower that forwarded it; kNoNode for a local read
};

struct ConfirmedRead {
  Index index = 0;
  ReadRequest request;
};

class ReadOnly {
 public:
  void add(ReadRequest request) { waiting_.push_back(std::move(request)); }
  // Requests wait and no round is unconfirmed: time for start_round().
  bool ready_for_round() const { return !waiting_.empty() && rounds_.empty(); }
  // Gives every waiting request a new round at `index`, acknowledged by `self` already; returns
  // the round's context, to be sent in the heartbeats.
  std::string start_round(Index index, NodeId self);
  // The context of the newest unconfirmed round ("" if none), resent with periodic heartbeats.
  std::string latest_context() const;
  // `from` answered the heartbeat of the round `context`. Returns the reads it confirms.
  std::vector<ConfirmedRead> ack(const std::string& context, NodeId from,
                                 const std::vector<NodeId>& voters);
  // Rechecks every round against `voters` (after a membership change shrank the majority).
  std::vector<ConfirmedRead> recheck(const std::vector<NodeId>& voters);
  // Every request, waiting or in a round, leaves unconfirmed (leadership lost).
  std::vector<ReadRequest> take_all();

 private:
  struct Round {
    std::uint64_t id = 0;
    Index index = 0;
    std::vector<ReadRequest> requests;
    std::vector<NodeId> acks;
  };
  static bool confirmed(const Round& round, const std::vector<NodeId>& voters);
  std::vector<ConfirmedRead> confirm_through(std::uint64_t id);
  static std::string encode(std::uint64_t id);

  std::vector<ReadRequest> waiting_;
  std::deque<Round> rounds_;
  std::uint64_t next_id_ = 1;
};

}  // namespace taskraft::raft

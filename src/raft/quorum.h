// Majority arithmetic over a set of voters: the commit index a majority has reached, the outcome
// of a vote, and whether a majority satisfies a condition. Learners never count: callers pass
// the voters only. An empty voter set has no majority (nothing commits, nobody wins).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <vector>

#include "raft/types.h"

namespace taskraft::raft {

// The number of voters that make a majority of `voters` voters.
inline std::size_t majority(std::size_t voters) { return voters / 2 + 1; }

// The largest index that a majority of `matches` (one per voter) has reached; 0 if empty.
// Reorders `matches`.
Index majority_index(std::vector<Index>& matches);

enum class VoteResult : std::uint8_t { kPending, kWon, kLost };

// Tallies `votes` (voter -> granted) over `voters`; votes from non-voters are ignored.
VoteResult tally(const std::vector<NodeId>& voters, const std::map<NodeId, bool>& votes);

// True if a majority of `voters` satisfy `pred`.
bool has_quorum(const std::vector<NodeId>& voters, const std::function<bool(NodeId)>& pred);

}  // namespace taskraft::raft

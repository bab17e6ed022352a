// Majority arithmetic; see quorum.h.
#include "raft/quorum.h"

#include <algorithm>

namespace taskraft::raft {

Index majority_index(std::vector<Index>& matches) {
  if (matches.empty()) return 0;
  // The (majority)-th largest value is reached by a majority.
  const std::size_t k = majority(matches.size()) - 1;
  std::nth_element(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(k), matches.end(),
                   std::greater<Index>());
  return matches[k];
}

VoteResult tally(const std::vector<NodeId>& voters, const std::map<NodeId, bool>& votes) {
  if (voters.empty()) return VoteResult::kLost;
  std::size_t granted = 0;
  std::size_t rejected = 0;
  for (NodeId v : voters) {
    const auto it = votes.find(v);
    if (it == votes.end()) continue;
    ++(it->second ? granted : rejected);
  }
  const std::size_t q = majority(voters.size());
  if (granted >= q) return VoteResult::kWon;
  if (voters.size() - rejected < q) return VoteResult::kLost;
  return VoteResult::kPending;
}

bool has_quorum(const std::vector<NodeId>& voters, const std::function<bool(NodeId)>& pred) {
  if (voters.empty()) return false;
  const auto n = static_cast<std::size_t>(std::count_if(voters.begin(), voters.end(), pred));
  return n >= majority(voters.size());
}

}  // namespace taskraft::raft

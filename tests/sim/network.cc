// The simulated network; see network.h.
#include "network.h"

namespace taskraft::sim {

std::vector<Time> Network::fate() {
  std::vector<Time> delays;
  if (rng_.chance(profile_.loss)) return delays;
  const int copies = rng_.chance(profile_.duplicate) ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    Time d = rng_.between(profile_.min_delay, profile_.max_delay);
    if (rng_.chance(profile_.slow)) d += rng_.between(0, profile_.slow_delay);
    delays.push_back(d);
  }
  return delays;
}

void Network::unblock(raft::NodeId from, raft::NodeId to) {
  auto it = blocked_.find({from, to});
  if (it != blocked_.end() && --it->second == 0) blocked_.erase(it);
}

}  // namespace taskraft::sim

// The simulated network between nodes: per-message delay, loss, duplication and reordering, and
// partitions (directed blocked links, so both symmetric and one-way cuts).
//
// The network only decides fates; the simulation schedules the deliveries. A message's fate is
// drawn when it is sent (lost, delivered once, or delivered twice, each copy after its own random
// delay, which reorders messages freely); whether its link is blocked is decided when it arrives,
// so a partition also swallows what was already in flight. Snapshot data travels with its kSnap
// message, as the transport streams it next to the frame.
#pragma once

#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "raft/types.h"
#include "rng.h"
#include "state_machine.h"
#include "trace.h"

namespace taskraft::sim {

struct Packet {
  raft::Message msg;
  std::shared_ptr<const SnapshotData> snapshot;  // kSnap only
};

// How the network behaves at the moment; the fault schedule changes it over time.
struct NetworkProfile {
  double loss = 0;         // probability that a message is dropped
  double duplicate = 0;    // probability that it arrives twice
  Time min_delay = 50;     // every copy arrives after a delay uniform in [min_delay, max_delay]
  Time max_delay = 400;
  double slow = 0;         // probability that a copy is held back much longer (up to slow_delay)
  Time slow_delay = 5 * kTickUnits;
};

class Network {
 public:
  explicit Network(Rng rng) : rng_(std::move(rng)) {}

  void set_profile(const NetworkProfile& p) { profile_ = p; }
  const NetworkProfile& profile() const { return profile_; }

  // The delays after which the copies of a message sent now arrive: none when it is lost.
  std::vector<Time> fate();

  // Partitions: each cut counts, so overlapping partitions heal independently.
  void block(raft::NodeId from, raft::NodeId to) { ++blocked_[{from, to}]; }
  void unblock(raft::NodeId from, raft::NodeId to);
  void heal_all() { blocked_.clear(); }
  bool link_up(raft::NodeId from, raft::NodeId to) const { return blocked_.count({from, to}) == 0; }
  bool partitioned() const { return !blocked_.empty(); }

 private:
  Rng rng_;
  NetworkProfile profile_;
  std::map<std::pair<raft::NodeId, raft::NodeId>, int> blocked_;
};

}  // namespace taskraft::sim

// The fault schedule of a simulated run: which kind of trouble a run gets (its fault mix) and,
// decision by decision, what happens next.
//
// Mixes: none, network (loss, duplication, long delays that come and go), crashes (power loss
// between events or between the steps of a Ready, restarts after a downtime, process pauses),
// partitions (a node cut off, the cluster split in two, one-way cuts; each heals after a while),
// membership (add a learner under a fresh id, promote it, remove a voter or learner, transfer
// leadership) and all of them together. Log compactions happen in every mix, so nodes that fall
// behind need snapshots. The schedule only decides; the simulation carries the actions out and
// ends every fault when the run heals.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "network.h"
#include "node.h"
#include "rng.h"

namespace taskraft::sim {

enum class FaultMix : std::uint8_t { kNone, kNetwork, kCrashes, kPartitions, kMembership, kAll };
inline constexpr FaultMix kFaultMixes[] = {FaultMix::kNone,       FaultMix::kNetwork,
                                           FaultMix::kCrashes,    FaultMix::kPartitions,
                                           FaultMix::kMembership, FaultMix::kAll};
const char* to_string(FaultMix m);
std::optional<FaultMix> parse_fault_mix(std::string_view s);

// What the schedule needs to know about the cluster to choose an action.
struct ClusterView {
  std::vector<raft::NodeId> nodes;  // every node that is not retired, up or down
  std::vector<raft::NodeId> up;
  raft::NodeId leader = raft::kNoNode;  // a node that believes it leads (the highest term)
  raft::Status leader_status;           // when there is one
  std::size_t initial_voters = 0;
};

struct FaultAction {
  enum class Kind : std::uint8_t {
    kNothing, kCrash, kPause, kPartition, kNetwork,
    kAddLearner, kPromote, kRemove, kTransfer, kCompact,
  };
  Kind kind = Kind::kNothing;
  raft::NodeId node = raft::kNoNode;
  CrashPoint crash_at = CrashPoint::kNone;  // kCrash: none = at once, else inside the next Ready
  Time duration = 0;  // kCrash: downtime; kPause, kPartition, kNetwork: how long it lasts
  std::vector<std::pair<raft::NodeId, raft::NodeId>> cuts;  // kPartition: blocked directed links
  NetworkProfile profile;                                   // kNetwork
  raft::Index compact_lag = 0;  // kCompact: how far below the node's applied index
};
const char* to_string(FaultAction::Kind k);

class FaultSchedule {
 public:
  FaultSchedule(FaultMix mix, Rng rng) : mix_(mix), rng_(std::move(rng)) {}

  // The quiet network this mix starts from and returns to.
  NetworkProfile calm() const { return NetworkProfile{}; }
  // Virtual time until the next decision.
  Time next_gap() { return rng_.between(1, 12) * kTickUnits + rng_.between(0, kTickUnits); }
  FaultAction next(const ClusterView& view);

 private:
  bool has(FaultMix m) const { return mix_ == m || mix_ == FaultMix::kAll; }
  FaultAction crash(const ClusterView& view);
  FaultAction pause(const ClusterView& view);
  FaultAction partition(const ClusterView& view);
  FaultAction network(const ClusterView& view);
  FaultAction membership(const ClusterView& view);
  FaultAction compact(const ClusterView& view);
  raft::NodeId any(const std::vector<raft::NodeId>& ids) { return ids[rng_.below(ids.size())]; }

  FaultMix mix_;
  Rng rng_;
};

}  // namespace taskraft::sim

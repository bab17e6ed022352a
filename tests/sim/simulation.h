// One deterministic simulated run of a taskraft cluster, driven entirely by one 64-bit seed.
//
// A discrete-event loop over virtual time: node clocks that tick at their own rates, Ready
// processing after a simulated disk latency, message deliveries, client operations and fault
// decisions, all ordered by (time, sequence number) so that a seed replays exactly. After every
// event the checker asserts the safety invariants on the nodes it touched. The run has a fault
// phase, then heals (every partition ends, the network calms down, every crashed node restarts)
// and must reach, within kLivenessBoundTicks nominal ticks, one leader that all live members
// follow, every member applied up to the leader's last entry, and a fresh write and read served;
// then the final checks compare all replicas against the acknowledged writes.
#pragma once

#include <cstdint>
#include <string>

#include "faults.h"

namespace taskraft::sim {

// Healing must lead to a converged cluster within this many nominal ticks (election_tick is 10).
inline constexpr int kLivenessBoundTicks = 400;

struct RunConfig {
  std::uint64_t seed = 1;
  int nodes = 3;  // founding voters: 1, 3 or 5
  FaultMix faults = FaultMix::kAll;
  bool verbose = false;            // print the step trace
  bool durability_checks = true;   // check the persistence contract at every send, too
  int fault_ticks = 0;             // length of the fault phase; 0 draws it from the seed
};

struct RunStats {
  std::uint64_t events = 0;
  std::uint64_t elections = 0;  // terms that had a leader
  std::uint64_t proposed = 0;
  std::uint64_t acked = 0;
  std::uint64_t reads_ok = 0;
  std::uint64_t reads_failed = 0;
  std::uint64_t crashes = 0;
  std::uint64_t snapshots = 0;  // installed
  std::uint64_t conf_changes = 0;  // applied (counted once per entry)
  std::uint64_t compactions = 0;
  std::uint64_t partitions = 0;
  std::uint64_t transfers = 0;
  double converge_ticks = 0;  // from healing to the converged cluster
};

struct RunResult {
  bool ok = true;
  std::string invariant;  // the one that broke
  std::string detail;
  RunStats stats;
};

RunResult run_simulation(const RunConfig& config);

}  // namespace taskraft::sim

// The clients of a simulated cluster and what they observed.
//
// Clients propose commands with unique ids and ask for linearizable reads (ReadIndex), mostly at
// a node that believes it leads, sometimes at any node (followers forward reads; proposals there
// are refused). A proposal is acknowledged when the node that accepted it applies exactly that
// command at the index and term propose() returned, which is when taskraft answers its client.
// A read is answered when its node has applied the read index; it must then observe every write
// acknowledged before the read began (checked at once). At the end every acknowledged command must
// sit, once, at its index in every live replica, and the replicas must be identical.
//
// After the faults heal, probe() keeps one fresh write and then one fresh read going until both
// succeed: the liveness check waits for them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "node.h"
#include "rng.h"
#include "trace.h"

namespace taskraft::sim {

struct WorkloadStats {
  std::uint64_t proposed = 0;  // accepted by a leader
  std::uint64_t refused = 0;   // refused by the core (not leader, transfer, ...)
  std::uint64_t acked = 0;
  std::uint64_t reads_started = 0;
  std::uint64_t reads_ok = 0;
  std::uint64_t reads_failed = 0;
};

class Workload {
 public:
  Workload(Rng rng, const Trace& trace) : rng_(std::move(rng)), trace_(trace) {}

  // One client operation against the nodes that are up; returns the node it went to (or 0).
  raft::NodeId step(const std::vector<SimNode*>& up, Time now);
  // After healing: a fresh write until one is acknowledged, then a fresh read until one is served.
  raft::NodeId probe(const std::vector<SimNode*>& up, Time now);
  bool probes_done() const { return probe_write_acked_ && probe_read_done_; }

  void on_apply(const SimNode& n, const raft::Entry& e, std::optional<CommandId> cmd, Time now);
  void on_read_done(const SimNode& n, const std::string& context, bool ok, Time now);
  void on_crash(const SimNode& n);

  // Every acknowledged write once, at its index, in every live replica; the replicas identical.
  void check_final(const std::vector<const SimNode*>& live) const;

  const WorkloadStats& stats() const { return stats_; }

 private:
  struct Pending {
    CommandId cmd;
    raft::Term term;
    bool probe;
  };
  struct Read {
    raft::NodeId node;
    raft::Index must_see;  // the highest index acknowledged when the read began
    CommandId must_see_cmd;
    bool probe;
  };
  struct Ack {
    CommandId cmd;
    raft::Index index;
  };

  SimNode* pick_leader(const std::vector<SimNode*>& up);
  void propose(SimNode& n, bool probe);
  void read(SimNode& n, bool probe);

  Rng rng_;
  const Trace& trace_;
  WorkloadStats stats_;
  CommandId next_cmd_ = 1;
  std::uint64_t next_read_ = 1;
  std::map<std::pair<raft::NodeId, raft::Index>, Pending> pending_;  // by accepting node, index
  std::map<std::string, Read> reads_;
  std::vector<Ack> acks_;
  Ack newest_ack_{0, 0};
  bool probe_write_acked_ = false;
  bool probe_read_done_ = false;
  Time probe_sent_ = -1;
};

}  // namespace taskraft::sim

// A tiny in-memory harness for the Raft core's scripted unit tests: a few cores wired together by
// a perfect network that can be cut, with durable state kept per node as a real caller would
// (entries, hard state, snapshot point) and the applied entries recorded. Deliberately small:
// the fault-injecting simulator lives in tests/sim.
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "raft/conf_change.h"
#include "raft/raft.h"

namespace taskraft::raft::testing {

inline Config config_for(NodeId id, std::uint64_t seed = 42) {
  Config c;
  c.id = id;
  c.election_tick = 10;
  c.heartbeat_tick = 1;
  c.seed = seed;
  return c;
}

inline InitialState fresh(std::vector<NodeId> voters, std::vector<NodeId> learners = {}) {
  InitialState s;
  s.snapshot.conf.voters = std::move(voters);
  s.snapshot.conf.learners = std::move(learners);
  return s;
}

// What one node's caller has made durable, and what it applied.
struct Disk {
  HardState hard;
  SnapshotMeta snapshot;
  std::vector<Entry> entries;  // from snapshot.index + 1
  std::vector<Entry> applied;
  Index applied_index = 0;

  void persist(const Ready& rd) {
    if (rd.snapshot) {
      snapshot = *rd.snapshot;
      entries.clear();
      applied_index = snapshot.index;  // the state machine data came with it
    }
    for (const Entry& e : rd.entries) {
      while (!entries.empty() && entries.back().index >= e.index) entries.pop_back();
      entries.push_back(e);
    }
    if (rd.hard_state) hard = *rd.hard_state;
  }
  InitialState restart_state() const { return InitialState{hard, snapshot, entries}; }
};

class Cluster {
 public:
  explicit Cluster(std::vector<NodeId> voters, Config base = config_for(1)) {
    for (NodeId id : voters) add(id, fresh(voters), base);
  }

  void add(NodeId id, const InitialState& init, Config base) {
    base.id = id;
    base.seed = base.seed * 1000 + id;
    nodes_.insert_or_assign(id, Raft(base, init));
    disks_[id].snapshot = init.snapshot;
  }
  // Crash and restart from what is durable; the state machine keeps what it applied.
  void restart(NodeId id, Config base = config_for(1)) {
    base.id = id;
    base.applied = disks_.at(id).applied_index;
    nodes_.insert_or_assign(id, Raft(base, disks_.at(id).restart_state()));
  }
  Raft& operator[](NodeId id) { return nodes_.at(id); }
  Disk& disk(NodeId id) { return disks_.at(id); }
  std::vector<NodeId> ids() const {
    std::vector<NodeId> out;
    for (const auto& [id, _] : nodes_) out.push_back(id);
    return out;
  }

  // Network faults: a cut link drops messages in both directions.
  void cut(NodeId a, NodeId b) { cut_.insert({std::min(a, b), std::max(a, b)}); }
  void isolate(NodeId a) {
    for (NodeId b : ids()) {
      if (b != a) cut(a, b);
    }
  }
  void heal() { cut_.clear(); }
  bool linked(NodeId a, NodeId b) const { return !cut_.contains({std::min(a, b), std::max(a, b)}); }

  // One Ready cycle on `id`, following the persistence contract; its messages go to the network.
  void process(NodeId id) {
    Raft& r = nodes_.at(id);
    if (!r.has_ready()) return;
    Ready rd = r.ready();
    for (Message& m : rd.send_now) queue_.push_back(std::move(m));
    disks_[id].persist(rd);
    for (Message& m : rd.send_after_persist) queue_.push_back(std::move(m));
    for (const Entry& e : rd.committed) {
      if (e.type == EntryType::kConfChange) r.apply_conf_change(*decode_conf_change(e.data));
      disks_[id].applied.push_back(e);
      disks_[id].applied_index = e.index;
    }
    for (ReadState& s : rd.read_states) read_states_[id].push_back(std::move(s));
    for (std::string& f : rd.failed_reads) failed_reads_[id].push_back(std::move(f));
    r.advance(rd);
  }

  // Delivers queued messages and runs Ready cycles until nothing moves.
  void stabilize() {
    for (int rounds = 0; rounds < 10000; ++rounds) {
      for (NodeId id : ids()) process(id);
      if (queue_.empty()) {
        bool any = false;
        for (auto& [id, r] : nodes_) any = any || r.has_ready();
        if (!any) return;
        continue;
      }
      std::deque<Message> batch;
      batch.swap(queue_);
      for (Message& m : batch) deliver(std::move(m));
    }
  }

  void deliver(Message m) {
    ++delivered_[m.type];
    if (!linked(m.from, m.to) || !nodes_.contains(m.to)) return;
    nodes_.at(m.to).step(std::move(m));
  }

  void tick_all(int n = 1) {
    for (int i = 0; i < n; ++i) {
      for (auto& [id, r] : nodes_) r.tick();
      stabilize();
    }
  }

  // Makes `id` campaign and runs the election to its end.
  void elect(NodeId id) {
    nodes_.at(id).campaign();
    stabilize();
  }

  NodeId leader() {
    NodeId found = kNoNode;
    for (auto& [id, r] : nodes_) {
      if (r.status().role == Role::kLeader && (found == kNoNode || r.status().hard.term >
                                                                       nodes_.at(found).status().hard.term)) {
        found = id;
      }
    }
    return found;
  }

  std::vector<std::string> applied_data(NodeId id) const {
    std::vector<std::string> out;
    for (const Entry& e : disks_.at(id).applied) {
      if (e.type == EntryType::kNormal && !e.data.empty()) out.push_back(e.data);
    }
    return out;
  }

  std::map<NodeId, std::vector<ReadState>> read_states_;
  std::map<NodeId, std::vector<std::string>> failed_reads_;
  std::map<MessageType, int> delivered_;

 private:
  std::map<NodeId, Raft> nodes_;
  std::map<NodeId, Disk> disks_;
  std::set<std::pair<NodeId, NodeId>> cut_;
  std::deque<Message> queue_;
};

}  // namespace taskraft::raft::testing

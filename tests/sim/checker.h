// The safety invariants of Raft, checked as a simulated run goes (Raft paper, figure 3):
//
// - Election Safety: at most one leader per term.
// - Leader Append-Only: a leader never overwrites or deletes entries of its log while it leads.
// - Log Matching: two logs that hold an entry with the same index and term hold the same entry
//   there and agree on everything before it. Checked incrementally through a registry of every
//   (index, term) ever handed out for persistence: its content and the term of its predecessor
//   must be unique, which by induction is the whole property; and pairwise on the final logs.
//   Entries count once they are on a disk or on the wire: what only ever lived in the memory of
//   a process that crashed never existed for anybody.
// - Leader Completeness: a leader holds every entry committed in an earlier term, checked when a
//   node becomes leader and whenever an entry is newly known to be committed (the term of the
//   commitment is bounded from above by the current term of the nodes that apply the entry).
// - State Machine Safety: no two nodes apply different entries at one index; installed snapshots
//   agree with what was applied.
// - Commit rule (Figure 8): while it leads, a leader moves its commit index only onto an entry of
//   its own term; an earlier term's entry is committed only by committing one of the current term.
// - Durability before promises (the persistence contract): a vote grant leaves only once the vote
//   is on disk, an append acknowledgement only once the entries are, and no message carries a
//   term that is not on the sender's disk (pre-vote aside).
//
// Also: term and commit index never go back within a node's life. Every check throws a
// Violation naming the invariant.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "network.h"
#include "node.h"

namespace taskraft::sim {

class Checker {
 public:
  // `lookup` finds a node that is up (nullptr otherwise).
  Checker(std::function<const SimNode*(raft::NodeId)> lookup, bool durability_checks);

  // After every event that touched the node.
  void after_step(const SimNode& n);
  void on_ready(const SimNode& n, const raft::Ready& rd);
  // The Ready's entries are on the node's disk now (step 4 synced).
  void on_persisted(const SimNode& n, const std::vector<raft::Entry>& entries);
  void on_send(const SimNode& n, const Packet& p, bool after_persist);
  void on_apply(const SimNode& n, const raft::Entry& e);
  void on_restore(const SimNode& n, const SnapshotData& data);
  void on_crash(const SimNode& n);
  // Log Matching on whole logs, pairwise.
  void check_logs_match(const std::vector<const SimNode*>& nodes) const;

  std::size_t elections() const { return leader_of_term_.size(); }

 private:
  struct NodeView {
    std::uint64_t incarnation = 0;
    raft::Term term = 0;
    raft::Index commit = 0;
    bool leader = false;
    raft::Index leader_last = 0;  // the last index while leading, which may only grow
    raft::Term leader_last_term = 0;
  };
  struct Facts {
    std::uint64_t hash;
    std::optional<raft::Term> prev_term;
  };
  struct Committed {
    bool known = false;
    raft::Term term = 0;
    std::optional<std::uint64_t> hash;  // unknown when learnt from a snapshot point only
    CommandId cmd = 0;
    // An upper bound on the term in which the entry was committed: the lowest current term of a
    // node when it applied the entry (a node learns commitment only from leaders of terms up to
    // its own). Leaders of later terms must hold the entry.
    raft::Term committed_by = 0;
  };
  struct KeyHash {
    std::size_t operator()(const std::pair<raft::Index, raft::Term>& k) const {
      return std::hash<std::uint64_t>()(k.first * 0x9e3779b97f4a7c15ULL ^ k.second);
    }
  };

  // Entries enter the Log Matching registry once they exist beyond one process's memory: on a
  // disk, or in an AppendEntries on the wire. `prev` is the term of the entry before the first.
  void register_entries(const SimNode& n, std::optional<raft::Term> prev,
                        const std::vector<raft::Entry>& entries);
  void check_leader_completeness(const SimNode& n, const raft::Status& st) const;
  void check_holds_committed(const SimNode& leader, raft::Index index, raft::Term term) const;
  void check_durable_before_send(const SimNode& n, const raft::Message& m) const;
  void check_snapshot_point(const raft::SnapshotMeta& meta, const char* what) const;
  Committed& committed_at(raft::Index index);

  std::function<const SimNode*(raft::NodeId)> lookup_;
  bool durability_checks_;
  std::map<raft::NodeId, NodeView> views_;
  std::map<raft::Term, raft::NodeId> leader_of_term_;
  std::set<raft::NodeId> leaders_;  // nodes leading right now
  std::unordered_map<std::pair<raft::Index, raft::Term>, Facts, KeyHash> registry_;
  std::vector<Committed> committed_;  // by index
};

}  // namespace taskraft::sim

// One simulated taskraft node: a Raft core with its disk (Storage) and its state machine, driven
// the way src/node drives the real one.
//
// process_ready() carries out one Ready in the seven steps of the persistence contract (raft.h)
// and can be told to crash between any two of them, or in the middle of the disk write or of
// applying; a crash loses the core and everything not yet synced. start() rebuilds the core from
// what is durable only: InitialState from the disk and Config::applied from the durable state
// machine, after finishing a snapshot installation that a crash interrupted. The node reports
// every Ready, message, apply, snapshot installation and answered read to its observer, which
// checks them and moves messages through the network.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "network.h"
#include "raft/raft.h"
#include "rng.h"
#include "state_machine.h"
#include "storage.h"
#include "trace.h"

namespace taskraft::sim {

class SimNode;

// Where a crash can strike while a Ready is carried out, in the order of the contract's steps.
enum class CrashPoint : std::uint8_t {
  kNone,
  kAfterSendNow,           // step 2 done
  kAfterSnapshotData,      // step 3 half done: state machine restored, snapshot point not recorded
  kAfterSnapshotPoint,     // step 3 done
  kDuringAppend,           // step 4 written but not synced: a random prefix survives
  kAfterSync,              // step 4 done
  kAfterSendAfterPersist,  // step 5 done
  kDuringApply,            // step 6 partly done
  kBeforeAdvance,          // step 6 done, advance() not called
  kCount,
};
const char* to_string(CrashPoint p);

class NodeObserver {
 public:
  virtual ~NodeObserver() = default;
  // A Ready was just taken from the core, before any of it is carried out.
  virtual void on_ready(const SimNode& n, const raft::Ready& rd) = 0;
  // The Ready's entries and hard state are synced (step 4 done).
  virtual void on_persisted(const SimNode& n, const raft::Ready& rd) = 0;
  // A message leaves the node (step 2 or step 5).
  virtual void on_send(const SimNode& n, Packet p, bool after_persist) = 0;
  virtual void on_restore(const SimNode& n, const SnapshotData& data) = 0;
  // A committed entry was applied; `cmd` is the client command it carried, `cc` the membership
  // change (for a kConfChange entry).
  virtual void on_apply(const SimNode& n, const raft::Entry& e, std::optional<CommandId> cmd,
                        const raft::ConfChange* cc) = 0;
  // A read the node's clients asked for is answered (ok) or refused by the core.
  virtual void on_read_done(const SimNode& n, const std::string& context, bool ok) = 0;
};

class SimNode {
 public:
  // A node with an empty disk. `initial` is the membership its log starts with: the initial voters
  // for a founding member, nothing for a node that joins later.
  SimNode(raft::NodeId id, const raft::ConfState& initial, const raft::Config& settings,
          NodeObserver& observer, const Trace& trace);

  raft::NodeId id() const { return id_; }
  bool up() const { return core_ != nullptr; }
  // Counts the starts; events addressed to an earlier incarnation are stale.
  std::uint64_t incarnation() const { return incarnation_; }

  // Builds the core from the durable state; `seed` feeds its randomized election timeout.
  void start(std::uint64_t seed);
  // Power loss: the core and every volatile thing go, and so does a random part of what was
  // written but not synced.
  void crash(Rng& rng);

  // Carries out the core's Ready, crashing at `crash_at`. Returns false if the node crashed.
  bool process_ready(CrashPoint crash_at, Rng& rng);
  // Feeds a packet from the network (keeping a snapshot's data until the core installs it).
  void deliver(const Packet& p);
  // Compacts the log up to `index` (applied, above the current snapshot point) in core and disk;
  // the core may choose a lower point.
  void compact(raft::Index index);

  raft::Raft& core() { return *core_; }
  const raft::Raft& core() const { return *core_; }
  const Storage& storage() const { return storage_; }
  const StateMachine& state_machine() const { return sm_; }

 private:
  void crash_now(Rng& rng, CrashPoint where);
  void install_snapshot(const raft::SnapshotMeta& meta);
  void apply(const raft::Entry& e);
  void serve_reads();
  void send(const raft::Message& m, bool after_persist);
  std::shared_ptr<const SnapshotData> snapshot_for(raft::Message& m) const;

  raft::NodeId id_;
  raft::Config settings_;
  NodeObserver& observer_;
  const Trace& trace_;
  Storage storage_;
  StateMachine sm_;
  std::unique_ptr<raft::Raft> core_;
  std::uint64_t incarnation_ = 0;
  // Volatile: lost in a crash.
  std::map<raft::Index, std::shared_ptr<const SnapshotData>> incoming_snapshots_;
  std::vector<raft::ReadState> waiting_reads_;
};

}  // namespace taskraft::sim

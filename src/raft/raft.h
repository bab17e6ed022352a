// The Raft consensus core: a pure, deterministic state machine in the style of etcd-io/raft.
//
// It owns no sockets, threads, files, clocks or global randomness. Time enters through tick(),
// messages through step(), client requests through propose()/read_index()/transfer_leader()/
// propose_conf_change(), and randomness from Config::seed. Everything the core wants done is
// collected in a Ready; the caller carries it out and then calls advance(). Given the same inputs
// in the same order the core produces the same outputs, which is what the simulator relies on.
//
// THE PERSISTENCE CONTRACT (what the caller must make durable before what):
//   1. Take `Ready rd = raft.ready()`.
//   2. Send `rd.send_now` at once. These are the leader's AppendEntries/heartbeats/snapshots and
//      never depend on anything in this Ready being durable; this is the leader's disk write in
//      parallel with replication (Raft dissertation 10.2.1).
//   3. If rd.snapshot is set: install the snapshot data into the state machine and record the
//      snapshot point durably. The whole durable log is discarded: a snapshot is only handed out
//      when the log does not match it, so nothing before or after its point is kept.
//   4. Append rd.entries to the durable log (an entry whose index is already present replaces it
//      and everything after it), write rd.hard_state if set, and sync if rd.must_sync. Group
//      commit lives here: every proposal since the previous Ready shares this one sync. A Ready
//      whose only durable change is a higher commit index need not sync (must_sync is false):
//      the commit index is not needed for safety, a restarted node learns it again from the
//      leader (etcd-io/raft's MustSync); written without a sync, it becomes durable with the
//      next sync or is lost in a crash, both harmless. At low load this halves the syncs and
//      takes one off the path of every write (the commit notice no longer waits for a sync).
//   5. Only now send `rd.send_after_persist`: votes, vote grants and append acknowledgements
//      promise that (3) and (4) are on disk, so they must never leave before the sync.
//   6. Apply rd.committed in order (a kConfChange entry also calls apply_conf_change()), and
//      answer the waiters of rd.read_states once the state machine has applied their index.
//   7. Call advance(rd). The leader only counts its own log towards commitment from here on:
//      its match index is its durable last index, never an unsynced one.
// One Ready at a time: ready() may only be called again after advance(); in between,
// has_ready() is false. tick(), step() and the requests may be called at any time.
// Committed entries are always a prefix of what has been handed out for persistence, so a caller
// that applies after syncing (as above) never applies an entry it could lose.
//
// SNAPSHOTS: compact(i) drops the log up to i. A follower that needs an entry no longer in the
// log gets a kSnap message whose `snapshot` is the leader's compaction point. The caller of the
// leader replaces that meta (index, term, conf) and attaches the data of its state machine's own
// snapshot at any applied index >= the compaction point, and tells the core how sending went with
// report_snapshot(). Until the follower acknowledges (or report_snapshot), nothing else is sent
// to it. The follower's caller steps the kSnap once the data has arrived; the core answers with
// Ready::snapshot (step 3), or, if the follower's log already holds the snapshot point, keeps its
// log and only moves its commit index.
//
// Safety properties (checked by the simulator after every step): Election Safety, Leader
// Append-Only, Log Matching, Leader Completeness, State Machine Safety.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/types.h"

namespace taskraft::raft {

enum class Role : std::uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };
const char* to_string(Role r);

struct Config {
  NodeId id = kNoNode;
  // Ticks without hearing from a leader before campaigning; each node draws its timeout
  // uniformly from [election_tick, 2 * election_tick) using `seed`.
  int election_tick = 10;
  int heartbeat_tick = 1;
  std::uint64_t seed = 1;
  // Flow control: at most this many AppendEntries in flight per follower while pipelining,
  // and at most this many payload bytes of entries in one AppendEntries (always >= 1 entry).
  std::size_t max_inflight_msgs = 256;
  std::size_t max_msg_bytes = 1 << 20;
  bool pre_vote = true;
  bool check_quorum = true;
  // Where the state machine already is on restart (entries up to here are not handed out again).
  Index applied = 0;
};

// What the core needs from the durable log when it starts.
struct InitialState {
  HardState hard;
  // The point the log starts after: index 0 with the initial voters for a fresh cluster,
  // the last snapshot point after compaction. A node joining an existing cluster starts with
  // index 0 and an empty configuration and learns the rest from the leader.
  SnapshotMeta snapshot;
  std::vector<Entry> entries;  // contiguous, starting at snapshot.index + 1
};

struct ReadState {
  Index index = 0;      // serve the read once the state machine has applied this index
  std::string context;  // the caller's identifier, as passed to read_index()
};

struct SoftState {
  NodeId leader = kNoNode;
  Role role = Role::kFollower;
  friend bool operator==(const SoftState&, const SoftState&) = default;
};

struct Ready {
  SoftState soft;                      // always filled: who leads now, as this node sees it
  std::optional<HardState> hard_state; // set when it changed since the last Ready
  std::vector<Entry> entries;          // to append durably (step 4)
  std::optional<SnapshotMeta> snapshot;// to install (step 3)
  std::vector<Message> send_now;       // step 2
  std::vector<Message> send_after_persist;  // step 5
  std::vector<Entry> committed;        // to apply (step 6)
  std::vector<ReadState> read_states;  // confirmed read indexes (step 6)
  std::vector<std::string> failed_reads;  // contexts whose read can not be served (no leader, lost leadership)
  bool must_sync = false;  // step 4 must sync: entries, a snapshot, or a new term or vote

  bool empty() const;
};

enum class Error : std::uint8_t {
  kOk = 0,
  kNotLeader,             // only the leader accepts this; Status::leader says who leads
  kTransferInProgress,    // a leadership transfer is under way
  kConfChangePending,     // another membership change has not been applied yet
  kNotCommittedInTerm,    // the leader has not yet committed an entry of its own term
  kInvalidConfChange,     // e.g. promoting a node that is not a learner, removing the last voter
  kUnknownNode,           // removing a node that is not a member; a transfer target that is not a voter
  kTransferFirst,         // the leader of two voters removing itself: transfer leadership first
};
const char* to_string(Error e);

struct ProposeResult {
  Error error = Error::kOk;
  Index index = 0;  // the entry's index when accepted
  Term term = 0;    // the entry's term when accepted: it is committed only with this term
};

enum class ProgressState : std::uint8_t { kProbe, kReplicate, kSnapshot };
const char* to_string(ProgressState s);

struct PeerStatus {
  NodeId id = kNoNode;
  bool voter = true;
  Index match = 0;
  Index next = 0;
  ProgressState state = ProgressState::kProbe;
  bool recent_active = false;
  std::size_t inflight = 0;
};

struct Status {
  NodeId id = kNoNode;
  Role role = Role::kFollower;
  NodeId leader = kNoNode;
  HardState hard;
  Index first_index = 0;  // first index still in the log
  Index last_index = 0;
  Index stable_index = 0;  // last index handed out for persistence and acknowledged by advance()
  Index applied = 0;       // last index handed out for applying
  ConfState conf;
  NodeId transferee = kNoNode;
  std::vector<PeerStatus> peers;  // leader only: every member but itself
};

class RaftImpl;  // raft_impl.h; the header stays small so everything can include it cheaply

class Raft {
 public:
  Raft(const Config& config, const InitialState& initial);
  ~Raft();
  Raft(Raft&&) noexcept;
  Raft& operator=(Raft&&) noexcept;

  // Advances logical time by one tick: election timeouts, heartbeats, check-quorum.
  void tick();
  // Feeds a message from a peer. Messages of older terms, from unknown senders or duplicated are
  // handled or dropped as Raft requires; stepping never throws for any message content.
  void step(const Message& m);
  void step(Message&& m);  // the same, moving the entries into the log instead of copying them

  // Appends a command on the leader. It travels in the next Ready, batched with every other
  // proposal made before it.
  ProposeResult propose(std::string data);
  // Asks for a linearizable read point. The answer comes as a ReadState (or a failed_reads
  // entry) in a later Ready. On the leader one heartbeat round confirms all reads waiting at
  // that moment; a follower forwards to the leader, whose commit index answers at once when the
  // two of them are a majority (the request itself shows the follower still in the leader's
  // term; see RaftImpl::handle_read_request), after a round otherwise. Refused until the leader
  // has committed an entry of its own term.
  void read_index(std::string context);
  // Leadership transfer to `to` (a voter): catch it up, then send TimeoutNow. Proposals are
  // refused while it is under way; it is abandoned after an election timeout.
  Error transfer_leader(NodeId to);
  // Single-server membership change, see conf_change.h for the rules.
  ProposeResult propose_conf_change(const ConfChange& cc);
  // Called by the caller when it applies a committed kConfChange entry; returns the new membership.
  ConfState apply_conf_change(const ConfChange& cc);
  // The state machine has applied (and durably holds) everything up to `index`: entries up to
  // it may be dropped from the log. Followers that need them get a snapshot instead. `index` is
  // lowered to what is applied, durable, and past every conf change whose apply_conf_change()
  // has come. Returns the new compaction point (index, term, membership at it), which is what
  // the durable log records as its start (InitialState::snapshot on restart).
  SnapshotMeta compact(Index index);
  // Leader: the caller finished (ok) or gave up (!ok) sending the snapshot of a kSnap to `to`.
  // On failure the follower is probed again (and gets a new kSnap if it still needs one).
  void report_snapshot(NodeId to, bool ok);
  // Campaign now (used for a single-node cluster and by tests).
  void campaign();

  // Whether ready() has anything to hand out; false while a Ready awaits advance().
  bool has_ready() const;
  Ready ready();
  void advance(const Ready& rd);

  Status status() const;
  // The current term and commit index: status().hard's, without copying the rest of the status;
  // and the index of the log's last entry (status().last_index).
  Term term() const;
  Index commit_index() const;
  Index last_index() const;
  // The term of `index` if it is still in the log (or is the snapshot point), else nullopt.
  std::optional<Term> term_at(Index index) const;
  // Entries [lo, hi) still in the log (for inspection and tests).
  std::vector<Entry> entries(Index lo, Index hi) const;

 private:
  std::unique_ptr<RaftImpl> impl_;
};

}  // namespace taskraft::raft

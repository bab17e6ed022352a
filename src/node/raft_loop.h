// The raft thread: the only thread that touches the Raft core and the WAL. It turns ticks,
// peer messages and client requests into core calls, and carries out every Ready exactly as the
// persistence contract in raft/raft.h orders: send the leader's messages, install a snapshot,
// append and fsync (one sync for everything since the last Ready: group commit), send what needs
// durability, hand committed entries to the applier, then advance.
//
// The raft thread also runs the transport's network work (transport.h): it waits for events in
// Transport::run(), so a frame from a peer is read, decoded and stepped into the core on this
// one thread, and other threads wake it through Transport::wake().
//
// Every public method is thread-safe and returns at once; results arrive through callbacks.
//
// Linearizable reads are asked of the core in batches: every read that arrived while no batch
// was being confirmed goes with the next one (one ReadIndex context, so one MsgReadIndex from a
// follower, one place in the leader's heartbeat round). A batch confirmed at index I serves only
// reads that arrived before it was asked, so I is at least the commit index of their arrival.
//
// While enough writes are in flight, the leader holds the writes arriving (its own clients' and
// the commands followers relay) for up to a short window, so that they share one append and
// one sync on every node (propose_window.h).
//
// Writes proposed while another node leads go to it through the proposal relay
// (proposal_relay.h): the thread that proposes sends the kProp itself while the raft thread's
// last turn found this node relaying to a leader (else the raft thread decides), and the leader
// answers the kProp it places within the same turn, ahead of the appends that carry
// their entries and in the same frame.
#pragma once

#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <thread>
#include <variant>
#include <vector>

#include "node/apply_waiters.h"
#include "node/members.h"
#include "node/propose_window.h"
#include "node/proposal_relay.h"
#include "node/service.h"
#include "raft/raft.h"
#include "wal/wal.h"

namespace taskraft::transport {
class Transport;
}

namespace taskraft::node {

class Applier;
class SnapshotSender;

struct LoopOptions {
  raft::NodeId id = raft::kNoNode;
  std::filesystem::path members_file;
  int tick_ms = 50;
  int election_ticks = 20;
  std::uint64_t seed = 1;
  // The log keeps at least this many applied entries for lagging followers, and is compacted
  // once it holds this many more than that.
  raft::Index retain_entries = 20000;
  raft::Index compact_every = 20000;
  // How long the leader lets writes wait for others to join them (propose_window.h).
  ProposeWindow propose_window;
};

// What the raft thread last published about itself (for GET /v1/cluster, /readyz, /metrics).
struct LoopStatus {
  raft::Status raft;
  Members members;
  std::uint64_t elections_won = 0;
  std::uint64_t proposals = 0;
  std::uint64_t wal_syncs = 0;
  double wal_sync_seconds = 0;  // total time spent in sync
  std::uint64_t writes_held = 0;  // commands that waited in the propose window
  std::uint64_t snapshots_sent = 0;       // streamed to a follower completely
  std::uint64_t snapshots_installed = 0;  // received from the leader and loaded into MySQL
  std::uint64_t reads = 0;                // linearizable reads asked of the core
  std::uint64_t read_batches = 0;         // ReadIndex requests they went in
};

class RaftLoop {
 public:
  RaftLoop(const LoopOptions& options, wal::Wal wal, raft::InitialState initial, Members members,
           transport::Transport& transport, Applier& applier, SnapshotSender& snapshots,
           ApplyWaiters& waiters);
  ~RaftLoop();

  void start();
  // Before start(): called on the raft thread with the duration of each WAL sync, in seconds.
  void observe_wal_syncs(std::function<void(double)> observe) { on_wal_sync_ = std::move(observe); }
  void stop();

  void deliver(std::vector<raft::Message> msgs);
  void deliver_snapshot(raft::Message snap, std::string file_path);
  void snapshot_sent(raft::NodeId peer, bool ok);

  void propose(std::string data, Deadline deadline, std::function<void(WriteResult)> done);
  void read_index(Deadline deadline, std::function<void(ReadResult)> done);
  void add_member(raft::NodeId id, MemberAddrs addrs, Deadline deadline,
                  std::function<void(AdminResult)> done);
  void remove_member(raft::NodeId id, Deadline deadline, std::function<void(AdminResult)> done);
  void transfer_leader(raft::NodeId to, Deadline deadline, std::function<void(AdminResult)> done);

  LoopStatus status() const;
  // Single fields of status() for per-request paths, without copying the whole status.
  raft::Index commit_index() const;
  // The leader known and its HTTP address ("" when unknown).
  std::pair<raft::NodeId, std::string> leader() const;

 private:
  struct Propose {
    std::string data;
    Deadline deadline;
    std::function<void(WriteResult)> done;
  };
  struct ReadIndex {
    Deadline deadline;
    std::function<void(ReadResult)> done;
  };
  struct ConfChangeReq {
    raft::ConfChange cc;
    Deadline deadline;
    std::function<void(AdminResult)> done;
  };
  struct Transfer {
    raft::NodeId to;
    Deadline deadline;
    std::function<void(AdminResult)> done;
  };
  struct Incoming {
    std::vector<raft::Message> msgs;
  };
  struct IncomingSnapshot {
    raft::Message msg;
    std::string path;
  };
  struct SnapshotSent {
    raft::NodeId peer;
    bool ok;
  };
  using Event = std::variant<Propose, ReadIndex, ConfChangeReq, Transfer, Incoming,
                             IncomingSnapshot, SnapshotSent>;

  // The writes `e` carries when it carries nothing else (this node's client's, or followers'
  // kProp messages): while writes are held, those join them without waking the raft thread.
  static std::size_t writes_only(const Event& e);
  void post(Event e);
  // With mu_ held (released on return): has the loop look at its inbox now.
  void wake(std::unique_lock<std::mutex>& lock);
  void run();
  // Runs the transport's network work (which delivers frames to the inbox) until woken, or
  // stopping, or `until`.
  void wait(Clock::time_point until);
  void handle(Propose& e);
  // Gives the write to the core (leader) or to the relay (follower), or refuses it.
  void propose_or_relay(Propose& e);
  // Whether this node's writes go through the relay now (a follower whose leader takes kProp).
  bool relays() const;
  // Relays the write to `leader`, followed in `term`, and sends the kProp at once.
  void relay_to(raft::NodeId leader, raft::Term term, Propose e);
  // Leader: whether `commands` arriving now wait in the propose window (and counts them if so).
  bool hold(std::size_t commands);
  // Gives every held write to the core: this node's clients' and the followers' relayed ones.
  void release_held();
  // Leader: proposes the commands of relayed kProp messages; their answers go with the next send().
  void place_relayed(std::vector<raft::Message>& props);
  // Proposes `data` to the core (this node's client's command, or one a follower relayed), and
  // counts it when it was taken.
  raft::ProposeResult propose_to_core(std::string data);
  void handle(ReadIndex& e);
  void handle(ConfChangeReq& e);
  void handle(Transfer& e);
  void handle(Incoming& e);
  void handle(IncomingSnapshot& e);
  void handle(SnapshotSent& e);
  // Asks the core for the reads waiting, as one batch, unless a batch is being confirmed.
  void ask_reads();
  void on_tick();
  void handle_ready();
  void send(std::vector<raft::Message>& msgs);
  void install_snapshot(const raft::SnapshotMeta& meta);
  void hand_out(std::vector<raft::Entry>& committed);
  void apply_membership(const raft::ConfChange& cc);
  void sync_transport_peers();
  void promote_caught_up_learners();
  void maybe_compact();
  void finish_transfers(Clock::time_point now);
  void expire_reads(Clock::time_point now);
  void publish();
  void fail_pending(Error error);

  LoopOptions options_;
  wal::Wal wal_;
  raft::Raft raft_;
  Members members_;
  transport::Transport& transport_;
  Applier& applier_;
  SnapshotSender& snapshots_;
  ApplyWaiters& waiters_;
  ProposalRelay relay_;  // writes proposed here while another node leads
  std::set<raft::NodeId> takes_relay_;  // leaders whose last append or heartbeat said they take kProp
  // The propose window (propose_window.h): this node's clients' writes and relayed kProps held,
  // how many commands they carry, and since when the first of them waits.
  std::vector<Propose> held_writes_;
  std::vector<raft::Message> held_props_;
  std::size_t held_ = 0;
  Clock::time_point held_since_;
  // kPropResp answers placed this turn, not sent yet (send() sends them first).
  std::vector<raft::Message> answers_;

  std::map<raft::Index, std::string> incoming_snapshots_;  // snapshot index -> received file
  std::vector<ReadIndex> waiting_reads_;                   // not asked yet
  std::map<std::string, std::vector<ReadIndex>> reads_;    // asked: read_index context -> batch
  std::vector<Transfer> transfers_;
  std::set<raft::NodeId> snapshot_in_flight_;
  std::map<raft::NodeId, std::string> transport_peers_;  // what the transport was last told
  std::uint64_t next_read_ = 1;
  std::uint64_t elections_won_ = 0;
  std::uint64_t proposals_ = 0;
  std::uint64_t wal_syncs_ = 0;
  double wal_sync_seconds_ = 0;
  std::uint64_t writes_held_ = 0;
  std::uint64_t snapshots_sent_ = 0;
  std::uint64_t snapshots_installed_ = 0;
  std::uint64_t reads_asked_ = 0;
  std::uint64_t read_batches_ = 0;
  std::function<void(double)> on_wal_sync_;
  raft::SoftState soft_;
  raft::Index wal_snapshot_index_ = 0;

  // guards inbox_, stopping_, woken_, raft_thread_, quiet_writes_, reads_out_, published_, relay_route_
  mutable std::mutex mu_;
  std::deque<Event> inbox_;
  bool stopping_ = false;
  bool woken_ = false;  // something in the inbox wants a turn (or the loop is stopping)
  std::thread::id raft_thread_;
  // While the loop waits with writes held: how many more writes (its clients' or relayed) it may
  // be given without being woken (the window's end, or the write that fills it, wakes it).
  std::size_t quiet_writes_ = 0;
  // A ReadIndex batch was out at the end of the last loop turn: its answer (or the next tick)
  // wakes the loop, so a read joining the next batch is queued without waking it.
  bool reads_out_ = false;
  LoopStatus published_;
  // Where propose() relays writes without waking the raft thread: set by publish() while
  // relays() holds, cleared when the leader changes.
  struct RelayRoute {
    raft::NodeId leader;
    raft::Term term;
  };
  std::optional<RelayRoute> relay_route_;
  std::thread thread_;
};

}  // namespace taskraft::node

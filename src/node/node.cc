// Implements node.h: start-up checks, wiring, and the Service calls.
#include "node/node.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "command.pb.h"
#include "node/applier.h"
#include "node/apply_waiters.h"
#include "node/identity.h"
#include "node/members.h"
#include "node/raft_loop.h"
#include "node/snapshot_sender.h"
#include "node/state_pairing.h"
#include "store/store.h"
#include "transport/transport.h"
#include "wal/wal.h"

namespace taskraft::node {
namespace {

// /readyz tolerates this much apply lag, so a node under steady write load does not flap.
constexpr raft::Index kReadyLag = 1000;

std::filesystem::path members_file(const std::filesystem::path& dir) { return dir / "members.json"; }

std::string canonical(const std::map<raft::NodeId, MemberAddrs>& m) {
  std::string s;
  for (const auto& [id, a] : m) s += std::to_string(id) + "=" + a.peer_addr + ";";
  return s;
}

}  // namespace

const char* to_string(Error e) {
  switch (e) {
    case Error::kOk: return "ok";
    case Error::kNotLeader: return "not the leader";
    case Error::kNoLeader: return "no leader is known";
    case Error::kTimeout: return "timed out";
    case Error::kStopping: return "the node is stopping";
    case Error::kStoreDown: return "this node's MySQL is unavailable";
    case Error::kRejected: return "rejected";
    case Error::kUnknownMember: return "not a member";
    case Error::kBeyondLog: return "beyond the committed log";
  }
  return "unknown";
}

bool Node::initialised(const std::filesystem::path& data_dir) {
  return load_identity(data_dir).has_value();
}

Node::Node(const NodeConfig& config, const std::optional<JoinInfo>& join) : config_(config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) throw StartError("--data-dir: cannot create " + config.data_dir.string() + ": " + ec.message());

  std::optional<Identity> identity;
  try {
    identity = load_identity(config.data_dir);
  } catch (const std::exception& e) {
    throw StartError(std::string("--data-dir: ") + e.what());
  }
  if (identity && identity->node_id != config.id)
    throw StartError("--data-dir " + config.data_dir.string() + " belongs to node " +
                     std::to_string(identity->node_id) + ", not to --id " + std::to_string(config.id));
  const bool fresh = !identity;
  if (fresh && config.initial_cluster.empty() && !join)
    throw StartError("--data-dir " + config.data_dir.string() +
                     " is empty: a first start needs --initial-cluster or --join");

  std::unique_ptr<store::Store> store;
  try {
    store = std::make_unique<store::Store>(config.mysql, std::size_t(config.task_cache_mb) << 20);
  } catch (const std::exception& e) {
    throw StartError(std::string("--mysql: ") + e.what());
  }

  wal::WalOpened opened = [&] {
    try {
      return wal::Wal::open(config.data_dir / "wal");
    } catch (const std::exception& e) {
      throw StartError(std::string("write-ahead log: ") + e.what());
    }
  }();
  for (const auto& note : opened.notes) spdlog::warn("WAL recovery: {}", note);
  // What the database has applied: recording the initial membership below leaves it as it is.
  const raft::Index db_applied = store->applied().index;
  if (auto problem = pairing_problem(fresh, db_applied, opened.state.snapshot.index))
    throw StartError("--mysql: " + *problem);

  Members members;
  if (fresh) {
    if (!config.initial_cluster.empty()) {
      cluster_id_ = derive_cluster_id(canonical(config.initial_cluster));
      members = Members(config.initial_cluster);
      raft::ConfState conf;
      for (const auto& [id, a] : config.initial_cluster) conf.voters.push_back(id);
      raft::SnapshotMeta start{0, 0, conf};
      opened.wal.save_snapshot(start);
      opened.wal.sync();
      opened.state.snapshot = start;
      store->record_initial_membership(store::Membership{conf, members.to_json()});
    } else {
      cluster_id_ = join->cluster_id;
      for (const auto& [id, addrs] : join->members) members.set(id, addrs);
    }
    members.save(members_file(config.data_dir));
    save_identity(config.data_dir, Identity{cluster_id_, config.id});
  } else {
    cluster_id_ = identity->cluster_id;
    auto loaded = Members::load(members_file(config.data_dir));
    if (!loaded) throw StartError("--data-dir: members.json is missing");
    members = std::move(*loaded);
  }
  // This node's own addresses may have changed since the last start (new ports, same data).
  members.set(config.id, MemberAddrs{config.peer_addr, config.http_addr});

  waiters_ = std::make_unique<ApplyWaiters>();
  waiters_->on_applied(db_applied);

  transport::TransportOptions topts;
  topts.self = config.id;
  topts.peer_addr = config.peer_addr;
  topts.cluster_secret = config.cluster_secret;
  topts.snapshot_dir = (config.data_dir / "snapshots-in").string();
  topts.on_messages = [this](raft::NodeId, std::vector<raft::Message> batch) {
    loop_->deliver(std::move(batch));
  };
  topts.on_snapshot = [this](raft::Message snap, std::string path) {
    loop_->deliver_snapshot(std::move(snap), std::move(path));
  };
  transport_ = std::make_unique<transport::Transport>(std::move(topts));
  task_cache_ = &store->task_cache();
  applier_ = std::make_unique<Applier>(std::move(store), *waiters_);
  snapshots_ = std::make_unique<SnapshotSender>(config.mysql, config.data_dir / "snapshots-out", *transport_);

  LoopOptions lopts;
  lopts.id = config.id;
  lopts.members_file = members_file(config.data_dir);
  lopts.tick_ms = config.tick_ms;
  lopts.election_ticks = config.election_ticks;
  lopts.propose_window.window = std::chrono::microseconds(config.propose_window_us);
  lopts.seed = static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()) ^ (config.id << 32);
  loop_ = std::make_unique<RaftLoop>(lopts, std::move(opened.wal), std::move(opened.state), std::move(members),
                                     *transport_, *applier_, *snapshots_, *waiters_);
}

Node::~Node() { stop(); }

void Node::observe_wal_syncs(std::function<void(double)> observe) { loop_->observe_wal_syncs(std::move(observe)); }
void Node::observe_writes_decided(std::function<void(double)> observe) {
  waiters_->observe_decided(std::move(observe));
}

void Node::start() {
  applier_->start();
  snapshots_->start();
  try {
    transport_->start();
  } catch (const std::exception& e) {
    throw StartError("--peer-addr " + config_.peer_addr + ": " + e.what());
  }
  loop_->start();  // its thread runs the transport's network work
}

void Node::stop() {
  if (stopping_.exchange(true)) return;
  loop_->stop();
  snapshots_->stop();
  applier_->stop();
  transport_->stop();
  waiters_->fail_all(Error::kStopping);
}

raft::NodeId Node::id() const { return config_.id; }

LeaderInfo Node::leader() const {
  auto [id, http_addr] = loop_->leader();
  return LeaderInfo{id, std::move(http_addr)};
}

void Node::submit(commandpb::Command cmd, Deadline deadline, std::function<void(WriteResult)> done) {
  if (stopping_) return done(WriteResult{Error::kStopping, {}, 0, 0});
  loop_->propose(cmd.SerializeAsString(), deadline, std::move(done));
}

void Node::read_linearizable(Deadline deadline, std::function<void(ReadResult)> done) {
  if (stopping_) return done(ReadResult{Error::kStopping, 0});
  if (!applier_->store_up()) return done(ReadResult{Error::kStoreDown, 0});
  loop_->read_index(deadline, std::move(done));
}

void Node::read_at_least(raft::Index index, Deadline deadline, std::function<void(ReadResult)> done) {
  if (stopping_) return done(ReadResult{Error::kStopping, 0});
  if (!applier_->store_up()) return done(ReadResult{Error::kStoreDown, 0});
  if (index > applier_->applied() && index > loop_->commit_index()) {
    // After a ReadIndex this node has applied everything committed before the call began, so an
    // index still beyond that had been acknowledged to nobody.
    return loop_->read_index(deadline, [index, done = std::move(done)](ReadResult r) {
      if (r.error == Error::kOk && r.applied_index < index) r.error = Error::kBeyondLog;
      done(r);
    });
  }
  waiters_->add_read(index, deadline, std::move(done));
}

bool Node::knows_membership() const {
  const auto st = loop_->status();
  return !st.raft.conf.voters.empty() || !st.raft.conf.learners.empty();
}

ClusterView Node::cluster() const {
  auto st = loop_->status();
  auto links = transport_->stats();
  ClusterView v;
  v.cluster_id = cluster_id_;
  v.self = config_.id;
  v.leader_id = st.raft.leader;
  v.term = st.raft.hard.term;
  v.commit_index = st.raft.hard.commit;
  v.applied_index = applier_->applied();
  v.store_up = applier_->store_up();
  auto role_of = [&](raft::NodeId id) -> std::string {
    if (std::ranges::binary_search(st.raft.conf.learners, id)) return "learner";
    if (id == st.raft.leader) return "leader";
    if (id == config_.id && st.raft.role == raft::Role::kCandidate) return "candidate";
    if (id == config_.id && st.raft.role == raft::Role::kPreCandidate) return "candidate";
    return "follower";
  };
  for (const auto& [id, addrs] : st.members.all()) {
    bool member = std::ranges::binary_search(st.raft.conf.voters, id) ||
                  std::ranges::binary_search(st.raft.conf.learners, id);
    if (!member && id != config_.id) continue;
    MemberView m;
    m.id = id;
    m.peer_addr = addrs.peer_addr;
    m.http_addr = addrs.http_addr;
    m.role = member ? role_of(id) : "removed";
    m.voter = std::ranges::binary_search(st.raft.conf.voters, id);
    if (id == config_.id) {
      m.reachable = true;
      m.match_index = st.raft.stable_index;
      m.applied_index = v.applied_index;
    } else {
      for (const auto& p : links.peers)
        if (p.id == id) m.reachable = p.connected;
      for (const auto& p : st.raft.peers)
        if (p.id == id) m.match_index = p.match;
    }
    v.nodes.push_back(std::move(m));
  }
  return v;
}

bool Node::ready() const {
  auto st = loop_->status();
  return st.raft.leader != raft::kNoNode && applier_->store_up() &&
         applier_->applied() + kReadyLag >= st.raft.hard.commit;
}

void Node::add_member(raft::NodeId id, std::string peer_addr, std::string http_addr, Deadline deadline,
                      std::function<void(AdminResult)> done) {
  loop_->add_member(id, MemberAddrs{std::move(peer_addr), std::move(http_addr)}, deadline, std::move(done));
}

void Node::remove_member(raft::NodeId id, Deadline deadline, std::function<void(AdminResult)> done) {
  loop_->remove_member(id, deadline, std::move(done));
}

void Node::transfer_leader(raft::NodeId to, Deadline deadline, std::function<void(AdminResult)> done) {
  loop_->transfer_leader(to, deadline, std::move(done));
}

std::vector<std::pair<std::string, double>> Node::gauges() const {
  auto st = loop_->status();
  double role = st.raft.role == raft::Role::kLeader ? 2 : st.raft.role == raft::Role::kFollower ? 0 : 1;
  raft::Index applied = applier_->applied();
  const auto cache = task_cache_->stats();
  std::uint64_t peer_messages = 0, peer_frames = 0;
  for (const auto& p : transport_->stats().peers) {
    peer_messages += p.sent_messages;
    peer_frames += p.sent_frames;
  }
  return {
      {"raft_term", double(st.raft.hard.term)},
      {"raft_role", role},
      {"raft_leader_id", double(st.raft.leader)},
      {"raft_commit_index", double(st.raft.hard.commit)},
      {"raft_applied_index", double(applied)},
      {"raft_apply_lag", double(st.raft.hard.commit > applied ? st.raft.hard.commit - applied : 0)},
      {"raft_last_index", double(st.raft.last_index)},
      {"raft_first_index", double(st.raft.first_index)},
      {"raft_elections_won_total", double(st.elections_won)},
      {"raft_proposals_total", double(st.proposals)},
      {"wal_syncs_total", double(st.wal_syncs)},
      {"propose_window_held_total", double(st.writes_held)},
      {"wal_sync_seconds_total", st.wal_sync_seconds},
      {"snapshots_sent_total", double(st.snapshots_sent)},
      {"snapshots_installed_total", double(st.snapshots_installed)},
      {"raft_reads_total", double(st.reads)},
      {"raft_read_batches_total", double(st.read_batches)},
      {"peer_sent_messages_total", double(peer_messages)},
      {"peer_sent_frames_total", double(peer_frames)},
      {"store_up", applier_->store_up() ? 1.0 : 0.0},
      {"apply_batches_total", double(applier_->batches())},
      {"apply_seconds_total", applier_->batch_seconds()},
      {"task_cache_hits_total", double(cache.hits)},
      {"task_cache_misses_total", double(cache.misses)},
      {"task_cache_entries", double(cache.entries)},
      {"task_cache_bytes", double(cache.bytes)},
  };
}

}  // namespace taskraft::node

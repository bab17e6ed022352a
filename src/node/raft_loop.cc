// Implements raft_loop.h. Read handle_ready() first: it is the persistence contract in code.
#include "node/raft_loop.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <cassert>
#include <cstdlib>
#include <exception>

#include "node/applier.h"
#include "node/snapshot_sender.h"
#include "raft/conf_change.h"
#include "transport/transport.h"

namespace taskraft::node {
namespace {

raft::Config make_config(const LoopOptions& o, const raft::InitialState& initial) {
  raft::Config c;
  c.id = o.id;
  c.election_tick = o.election_ticks;
  c.heartbeat_tick = 1;
  c.seed = o.seed;
  // Entries after the WAL's snapshot point are handed out again on restart: the store skips
  // those it already holds, and membership changes among them rebuild the configuration.
  c.applied = initial.snapshot.index;
  return c;
}

Error write_error(raft::Error e) {
  return e == raft::Error::kNotLeader ? Error::kNotLeader : Error::kNoLeader;
}

[[noreturn]] void fatal(const char* what, const std::exception& e) {
  spdlog::critical("{}: {}; stopping the node to protect the data", what, e.what());
  spdlog::shutdown();
  std::_Exit(2);
}

}  // namespace

RaftLoop::RaftLoop(const LoopOptions& options, wal::Wal wal, raft::InitialState initial,
                   Members members, transport::Transport& transport, Applier& applier,
                   SnapshotSender& snapshots, ApplyWaiters& waiters)
    : options_(options),
      wal_(std::move(wal)),
      raft_(make_config(options, initial), initial),
      members_(std::move(members)),
      transport_(transport),
      applier_(applier),
      snapshots_(snapshots),
      waiters_(waiters),
      relay_(options.id, waiters) {
  wal_snapshot_index_ = initial.snapshot.index;
  sync_transport_peers();
  publish();
}

RaftLoop::~RaftLoop() { stop(); }

void RaftLoop::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "raft");
    run();
  });
}

void RaftLoop::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  transport_.wake();
  if (thread_.joinable()) thread_.join();
}

std::size_t RaftLoop::writes_only(const Event& e) {
  if (std::holds_alternative<Propose>(e)) return 1;
  const auto* in = std::get_if<Incoming>(&e);
  if (!in) return 0;
  std::size_t commands = 0;
  for (const raft::Message& m : in->msgs) {
    if (m.type != raft::MessageType::kProp || m.entries.empty()) return 0;
    commands += m.entries.size();
  }
  return commands;
}

void RaftLoop::post(Event e) {
  const std::size_t writes = writes_only(e);
  std::unique_lock lock(mu_);
  inbox_.push_back(std::move(e));
  if (writes > 0 && quiet_writes_ >= writes) {
    quiet_writes_ -= writes;
    return;
  }
  wake(lock);
}

void RaftLoop::wake(std::unique_lock<std::mutex>& lock) {
  const bool waiting = !std::exchange(woken_, true);
  // The raft thread itself (a transport handler inside wait()) looks at woken_ before it waits
  // again; another thread interrupts the wait, once per turn.
  const bool interrupt = waiting && std::this_thread::get_id() != raft_thread_;
  lock.unlock();
  if (interrupt) transport_.wake();
}

void RaftLoop::deliver(std::vector<raft::Message> msgs) { post(Incoming{std::move(msgs)}); }
void RaftLoop::deliver_snapshot(raft::Message snap, std::string path) {
  post(IncomingSnapshot{std::move(snap), std::move(path)});
}
void RaftLoop::snapshot_sent(raft::NodeId peer, bool ok) { post(SnapshotSent{peer, ok}); }
void RaftLoop::propose(std::string data, Deadline d, std::function<void(WriteResult)> done) {
  std::optional<RelayRoute> route;
  {
    std::lock_guard lock(mu_);
    if (!stopping_) route = relay_route_;
  }
  // A follower sends the write to its leader from this thread: the raft thread is not woken.
  if (route) return relay_to(route->leader, route->term, Propose{std::move(data), d, std::move(done)});
  post(Propose{std::move(data), d, std::move(done)});
}
void RaftLoop::read_index(Deadline d, std::function<void(ReadResult)> done) {
  std::unique_lock lock(mu_);
  inbox_.push_back(ReadIndex{d, std::move(done)});
  // Else the loop waits for the batch out anyway: one wake-up per batch, not per read.
  if (!reads_out_) wake(lock);
}
void RaftLoop::add_member(raft::NodeId id, MemberAddrs addrs, Deadline d,
                          std::function<void(AdminResult)> done) {
  post(ConfChangeReq{{raft::ConfChangeType::kAddLearner, id, encode_member_context(addrs)}, d,
                     std::move(done)});
}
void RaftLoop::remove_member(raft::NodeId id, Deadline d, std::function<void(AdminResult)> done) {
  post(ConfChangeReq{{raft::ConfChangeType::kRemoveNode, id, ""}, d, std::move(done)});
}
void RaftLoop::transfer_leader(raft::NodeId to, Deadline d, std::function<void(AdminResult)> done) {
  post(Transfer{to, d, std::move(done)});
}

LoopStatus RaftLoop::status() const {
  std::lock_guard lock(mu_);
  return published_;
}

raft::Index RaftLoop::commit_index() const {
  std::lock_guard lock(mu_);
  return published_.raft.hard.commit;
}

std::pair<raft::NodeId, std::string> RaftLoop::leader() const {
  std::lock_guard lock(mu_);
  const raft::NodeId id = published_.raft.leader;
  const MemberAddrs* a = published_.members.find(id);
  return {id, a ? a->http_addr : std::string()};
}

void RaftLoop::run() {
  {
    std::lock_guard lock(mu_);
    raft_thread_ = std::this_thread::get_id();
  }
  const auto tick = std::chrono::milliseconds(options_.tick_ms);
  auto next_tick = Clock::now() + tick;
  try {
    for (;;) {
      std::deque<Event> events;
      const ProposeWindow& window = options_.propose_window;
      auto until = next_tick;
      if (held_ > 0) until = std::min(until, window.release_at(held_, held_since_));
      wait(until);
      {
        std::lock_guard lock(mu_);
        woken_ = false;
        quiet_writes_ = 0;
        if (stopping_) break;
        events.swap(inbox_);
      }
      for (auto& e : events) std::visit([&](auto& ev) { handle(ev); }, e);
      if (held_ > 0 && (soft_.role != raft::Role::kLeader ||
                        Clock::now() >= window.release_at(held_, held_since_))) {
        release_held();
      }
      auto now = Clock::now();
      if (now >= next_tick) {
        on_tick();
        next_tick += tick;
        if (next_tick < now) next_tick = now + tick;  // we were stalled (e.g. a slow fsync)
      }
      ask_reads();
      while (raft_.has_ready()) {
        handle_ready();
        ask_reads();
      }
      if (!answers_.empty()) {  // placed after the turn's last Ready, or none came
        std::vector<raft::Message> none;
        send(none);
      }
      finish_transfers(now);
      publish();
    }
  } catch (const std::exception& e) {
    fatal("raft loop failed", e);
  }
  fail_pending(Error::kStopping);
}

void RaftLoop::wait(Clock::time_point until) {
  {
    std::lock_guard lock(mu_);
    if (held_ > 0) quiet_writes_ = options_.propose_window.quiet(held_);
  }
  transport_.run(Clock::time_point::min());  // the frames that arrived during the last turn
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || woken_) return;
    }
    if (Clock::now() >= until) return;
    transport_.run(until);
  }
}

void RaftLoop::fail_pending(Error error) {
  for (auto& [ctx, batch] : reads_) {
    for (auto& r : batch) r.done(ReadResult{error, 0});
  }
  reads_.clear();
  for (auto& r : waiting_reads_) r.done(ReadResult{error, 0});
  waiting_reads_.clear();
  for (auto& t : transfers_) t.done(AdminResult{error, to_string(error)});
  transfers_.clear();
  relay_.fail_all(error);
  for (auto& w : held_writes_) w.done(WriteResult{error, {}, 0, 0});
  held_writes_.clear();
  held_props_.clear();  // their senders' deadlines answer them
  held_ = 0;
}

void RaftLoop::handle(Propose& e) {
  if (hold(1)) return held_writes_.push_back(std::move(e));
  propose_or_relay(e);
}

bool RaftLoop::hold(std::size_t commands) {
  if (soft_.role != raft::Role::kLeader) return false;
  raft::Index in_flight = 0;  // only matters to open the window: no lock once it is open
  if (held_ == 0) {
    const raft::Index last = raft_.last_index(), decided = waiters_.decided();
    in_flight = last > decided ? last - decided : 0;
  }
  if (!options_.propose_window.holds(held_, in_flight)) return false;
  if (held_ == 0) held_since_ = Clock::now();
  held_ += commands;
  writes_held_ += commands;
  return true;
}

void RaftLoop::release_held() {
  place_relayed(held_props_);
  held_props_.clear();
  for (auto& w : held_writes_) propose_or_relay(w);
  held_writes_.clear();
  held_ = 0;
}

void RaftLoop::place_relayed(std::vector<raft::Message>& props) {
  for (auto& m : props) {
    auto placed = ProposalRelay::place(m, options_.id, raft_.term(),
                                       [&](std::string data) { return propose_to_core(std::move(data)); });
    std::move(placed.begin(), placed.end(), std::back_inserter(answers_));
  }
}

bool RaftLoop::relays() const {
  // Else (no leader known, one that does not take kProp, or this node's MySQL down or far
  // behind) propose() refuses, and the API passes the request on to the leader.
  return soft_.role != raft::Role::kLeader && soft_.leader != raft::kNoNode &&
         takes_relay_.contains(soft_.leader) && applier_.store_up() &&
         raft_.commit_index() <= applier_.applied() + ProposalRelay::kMaxApplyLag;
}

void RaftLoop::relay_to(raft::NodeId leader, raft::Term term, Propose e) {
  std::vector<raft::Message> prop;
  prop.push_back(relay_.relay(leader, term, std::move(e.data), e.deadline, std::move(e.done)));
  transport_.send(std::move(prop));
}

void RaftLoop::propose_or_relay(Propose& e) {
  if (relays()) return relay_to(soft_.leader, raft_.term(), std::move(e));
  auto r = propose_to_core(std::move(e.data));
  if (r.error != raft::Error::kOk) {
    e.done(WriteResult{write_error(r.error), {}, 0, 0});
    return;
  }
  waiters_.add_proposal(r.index, r.term, e.deadline, std::move(e.done));
}

raft::ProposeResult RaftLoop::propose_to_core(std::string data) {
  auto r = raft_.propose(std::move(data));
  if (r.error == raft::Error::kOk) ++proposals_;
  return r;
}

void RaftLoop::handle(ReadIndex& e) { waiting_reads_.push_back(std::move(e)); }

void RaftLoop::ask_reads() {
  if (waiting_reads_.empty() || !reads_.empty()) return;
  auto ctx = std::to_string(next_read_++);
  ++read_batches_;
  reads_asked_ += waiting_reads_.size();
  reads_.emplace(ctx, std::move(waiting_reads_));
  waiting_reads_.clear();
  raft_.read_index(ctx);
}

void RaftLoop::handle(ConfChangeReq& e) {
  auto r = raft_.propose_conf_change(e.cc);
  if (r.error != raft::Error::kOk) {
    Error err = r.error == raft::Error::kNotLeader     ? Error::kNotLeader
                : r.error == raft::Error::kUnknownNode ? Error::kUnknownMember
                                                       : Error::kRejected;
    e.done(AdminResult{err, r.error == raft::Error::kTransferFirst
                                ? "this node leads a configuration of two voters and cannot remove itself: "
                                  "transfer leadership to the other voter first, then remove this node"
                                : raft::to_string(r.error)});
    return;
  }
  waiters_.add_proposal(r.index, r.term, e.deadline, [done = std::move(e.done)](WriteResult w) {
    done(AdminResult{w.error, w.error == Error::kOk ? "" : to_string(w.error)});
  });
}

void RaftLoop::handle(Transfer& e) {
  auto err = raft_.transfer_leader(e.to);
  if (err != raft::Error::kOk) {
    e.done(AdminResult{err == raft::Error::kNotLeader ? Error::kNotLeader : Error::kRejected,
                       raft::to_string(err)});
    return;
  }
  transfers_.push_back(std::move(e));
}

void RaftLoop::handle(Incoming& e) {
  std::vector<raft::Message> props;
  for (auto& m : e.msgs) {
    if (m.type == raft::MessageType::kProp) {
      if (!m.entries.empty() && hold(m.entries.size())) {
        held_props_.push_back(std::move(m));
      } else {
        props.push_back(std::move(m));
      }
    } else if (m.type == raft::MessageType::kPropResp) {
      relay_.answered(m);
    } else {
      if (m.type == raft::MessageType::kApp || m.type == raft::MessageType::kHeartbeat) {
        if (m.takes_relay) {
          takes_relay_.insert(m.from);
        } else {
          takes_relay_.erase(m.from);
        }
      }
      raft_.step(std::move(m));
    }
  }
  place_relayed(props);
}

void RaftLoop::handle(IncomingSnapshot& e) {
  auto [it, fresh] = incoming_snapshots_.try_emplace(e.msg.snapshot.index, e.path);
  if (!fresh) {
    std::filesystem::remove(it->second);
    it->second = e.path;
  }
  raft_.step(e.msg);
}

void RaftLoop::handle(SnapshotSent& e) {
  snapshot_in_flight_.erase(e.peer);
  // The core holds the follower in snapshot state until told: without this a failed stream
  // would leave it waiting for an acknowledgement that never comes.
  raft_.report_snapshot(e.peer, e.ok);
  if (e.ok) {
    ++snapshots_sent_;
  } else {
    spdlog::warn("snapshot to node {} failed; it will be retried", e.peer);
  }
}

void RaftLoop::on_tick() {
  raft_.tick();
  auto now = Clock::now();
  waiters_.expire(now);
  relay_.expire(now, soft_.leader);
  expire_reads(now);
  if (soft_.role == raft::Role::kLeader) promote_caught_up_learners();
  maybe_compact();
}

// The persistence contract of raft/raft.h, step by step.
void RaftLoop::handle_ready() {
  raft::Ready rd = raft_.ready();
  send(rd.send_now);                                   // 2: leader traffic, parallel to the disk
  if (rd.snapshot) install_snapshot(*rd.snapshot);     // 3
  if (!rd.entries.empty()) wal_.append(rd.entries);    // 4: one sync for all of it
  if (rd.hard_state) wal_.save_hard_state(*rd.hard_state);
  if (rd.must_sync) {  // not for a commit index alone, which goes with the next sync
    auto t0 = Clock::now();
    wal_.sync();
    const double took = std::chrono::duration<double>(Clock::now() - t0).count();
    ++wal_syncs_;
    wal_sync_seconds_ += took;
    if (on_wal_sync_) on_wal_sync_(took);
  }
  send(rd.send_after_persist);                         // 5: only now, promises are on disk
  if (!rd.committed.empty()) hand_out(rd.committed);   // 6
  for (auto& rs : rd.read_states) {
    auto it = reads_.find(rs.context);
    if (it == reads_.end()) continue;  // every read of the batch timed out
    for (auto& r : it->second) waiters_.add_read(rs.index, r.deadline, std::move(r.done));
    reads_.erase(it);
  }
  for (auto& ctx : rd.failed_reads) {
    auto it = reads_.find(ctx);
    if (it == reads_.end()) continue;
    for (auto& r : it->second) r.done(ReadResult{Error::kNoLeader, 0});
    reads_.erase(it);
  }
  if (!(rd.soft == soft_)) {
    if (rd.soft.role == raft::Role::kLeader) ++elections_won_;
    if (soft_.role == raft::Role::kLeader && rd.soft.role != raft::Role::kLeader) waiters_.leadership_lost();
    if (rd.soft.leader != soft_.leader) {
      {
        std::lock_guard lock(mu_);
        relay_route_.reset();  // until publish() names the new leader
      }
      relay_.leader_changed();
    }
    spdlog::info("role {} leader {} term {}", raft::to_string(rd.soft.role), rd.soft.leader,
                 raft_.status().hard.term);
    soft_ = rd.soft;
  }
  raft_.advance(rd);                                   // 7
  // Any received snapshot this Ready did not install was refused (stale): drop its file.
  for (auto& [index, path] : incoming_snapshots_) std::filesystem::remove(path);
  incoming_snapshots_.clear();
}

void RaftLoop::send(std::vector<raft::Message>& msgs) {
  // The relay answers placed since the last send go first: before the appends that carry their
  // entries (proposal_relay.h), and in the same frame as those, so a follower reads both at once.
  std::vector<raft::Message> plain = std::move(answers_);
  answers_.clear();
  plain.reserve(plain.size() + msgs.size());
  for (auto& m : msgs) {
    if (m.type != raft::MessageType::kSnap) {
      m.takes_relay = m.type == raft::MessageType::kApp || m.type == raft::MessageType::kHeartbeat;
      plain.push_back(std::move(m));
    } else if (snapshot_in_flight_.insert(m.to).second) {
      raft::NodeId peer = m.to;
      snapshots_.send(std::move(m), [this, peer](bool ok) { snapshot_sent(peer, ok); });
    }
  }
  if (!plain.empty()) transport_.send(std::move(plain));
}

void RaftLoop::install_snapshot(const raft::SnapshotMeta& meta) {
  auto it = incoming_snapshots_.find(meta.index);
  assert(it != incoming_snapshots_.end() && "the core installs only snapshots it was given");
  spdlog::info("installing snapshot at index {} term {}", meta.index, meta.term);
  store::AppliedState loaded = applier_.import_snapshot(it->second);
  assert(loaded.index == meta.index);
  ++snapshots_installed_;
  std::filesystem::remove(it->second);
  incoming_snapshots_.erase(it);
  auto members = Members::from_json(loaded.membership.addresses);
  if (members) {
    members_ = std::move(*members);
    members_.save(options_.members_file);
    sync_transport_peers();
  }
  wal_.save_snapshot(meta);
  wal_snapshot_index_ = meta.index;
}

void RaftLoop::hand_out(std::vector<raft::Entry>& committed) {
  std::map<raft::Index, store::Membership> confs;
  for (const auto& e : committed) {
    if (e.type != raft::EntryType::kConfChange) continue;
    auto cc = raft::decode_conf_change(e.data);
    assert(cc && "the core only commits conf changes it encoded");
    raft::ConfState conf = raft_.apply_conf_change(*cc);
    apply_membership(*cc);
    confs[e.index] = store::Membership{conf, members_.to_json()};
    spdlog::info("membership change at index {}: voters {} learners {}", e.index,
                 conf.voters.size(), conf.learners.size());
  }
  applier_.enqueue(std::move(committed), std::move(confs));
}

void RaftLoop::apply_membership(const raft::ConfChange& cc) {
  if (cc.type == raft::ConfChangeType::kAddLearner) {
    auto addrs = decode_member_context(cc.context);
    if (addrs) members_.set(cc.node, *addrs);
  } else if (cc.type == raft::ConfChangeType::kRemoveNode && cc.node != options_.id) {
    members_.erase(cc.node);
  }
  members_.save(options_.members_file);
  sync_transport_peers();
}

void RaftLoop::sync_transport_peers() {
  for (auto it = transport_peers_.begin(); it != transport_peers_.end();) {
    if (!members_.find(it->first)) {
      transport_.remove_peer(it->first);
      it = transport_peers_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [id, addrs] : members_.all()) {
    if (id == options_.id) continue;
    auto& known = transport_peers_[id];
    if (known != addrs.peer_addr) {
      transport_.set_peer(id, addrs.peer_addr);
      known = addrs.peer_addr;
    }
  }
}

void RaftLoop::promote_caught_up_learners() {
  auto st = raft_.status();
  for (const auto& p : st.peers) {
    if (p.voter || p.match == 0 || p.match < st.hard.commit) continue;
    auto r = raft_.propose_conf_change({raft::ConfChangeType::kPromoteLearner, p.id, ""});
    if (r.error == raft::Error::kOk)
      spdlog::info("promoting learner {} (caught up at {})", p.id, p.match);
    return;  // one change at a time
  }
}

void RaftLoop::maybe_compact() {
  raft::Index applied = applier_.applied();
  if (applied <= options_.retain_entries) return;
  raft::Index target = applied - options_.retain_entries;
  if (target < wal_snapshot_index_ + options_.compact_every) return;
  // The core names the compaction point (it may stay lower: unapplied conf changes, a snapshot
  // being installed); the WAL records exactly that point, then drops what lies before it.
  const raft::SnapshotMeta meta = raft_.compact(target);
  if (meta.index <= wal_snapshot_index_) return;
  wal_.save_snapshot(meta);
  wal_.sync();
  std::size_t removed = wal_.compact(meta.index);
  wal_snapshot_index_ = meta.index;
  spdlog::info("compacted the log up to index {} ({} WAL segments removed)", meta.index, removed);
}

void RaftLoop::finish_transfers(Clock::time_point now) {
  std::erase_if(transfers_, [&](Transfer& t) {
    if (soft_.leader == t.to) {
      t.done(AdminResult{Error::kOk, ""});
      return true;
    }
    if (t.deadline <= now) {
      t.done(AdminResult{Error::kTimeout, "the transfer did not finish in time"});
      return true;
    }
    return false;
  });
}

void RaftLoop::expire_reads(Clock::time_point now) {
  auto expire = [&](ReadIndex& r) {
    if (r.deadline > now) return false;
    r.done(ReadResult{Error::kTimeout, 0});
    return true;
  };
  std::erase_if(waiting_reads_, expire);
  // A batch whose reads all expired is forgotten, so that a batch the core never answers (its
  // ReadIndex lost with a leader) cannot hold back the reads that came after it.
  for (auto it = reads_.begin(); it != reads_.end();) {
    std::erase_if(it->second, expire);
    it = it->second.empty() ? reads_.erase(it) : std::next(it);
  }
}

void RaftLoop::publish() {
  LoopStatus s{raft_.status(),  members_,        elections_won_,  proposals_,
               wal_syncs_,      wal_sync_seconds_, writes_held_,    snapshots_sent_,
               snapshots_installed_, reads_asked_, read_batches_};
  std::optional<RelayRoute> route;
  if (relays()) route = RelayRoute{soft_.leader, raft_.term()};
  std::lock_guard lock(mu_);
  published_ = std::move(s);
  reads_out_ = !reads_.empty();
  relay_route_ = route;
}

}  // namespace taskraft::node

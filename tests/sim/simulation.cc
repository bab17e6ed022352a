// The simulated run; see simulation.h.
#include "simulation.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "checker.h"
#include "network.h"
#include "node.h"
#include "violation.h"
#include "workload.h"

namespace taskraft::sim {

namespace {

using ull = unsigned long long;
ull u(std::uint64_t v) { return static_cast<ull>(v); }

constexpr std::uint64_t kMaxEvents = 5'000'000;
constexpr int kElectionTick = 10;
// A snapshot stream's sender hears that it arrived after this long, or gives up after kStreamTimeout.
constexpr Time kStreamAckDelay = 200;
constexpr Time kStreamTimeout = 2 * kTickUnits;

// Independent random streams of one run.
enum Stream : std::uint64_t { kSettings = 1, kNet, kFaults, kClients, kCrashes, kClocks, kDisks };

class Simulation final : public NodeObserver {
 public:
  explicit Simulation(const RunConfig& cfg);
  RunResult run();

  void on_ready(const SimNode& n, const raft::Ready& rd) override;
  void on_persisted(const SimNode& n, const raft::Ready& rd) override;
  void on_send(const SimNode& n, Packet p, bool after_persist) override;
  void on_restore(const SimNode& n, const SnapshotData& data) override;
  void on_apply(const SimNode& n, const raft::Entry& e, std::optional<CommandId> cmd,
                const raft::ConfChange* cc) override;
  void on_read_done(const SimNode& n, const std::string& context, bool ok) override;

 private:
  struct Slot {
    std::unique_ptr<SimNode> node;
    Time tick_interval = kTickUnits;
    bool ready_scheduled = false;
    CrashPoint crash_next_ready = CrashPoint::kNone;
    Time downtime = 0;
    Time paused_until = 0;
    bool retired = false;
  };
  struct Event {
    Time at;
    std::uint64_t seq;
    raft::NodeId node;         // 0: not addressed to a node
    std::uint64_t incarnation; // 0: any incarnation
    std::function<void()> fn;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };

  static raft::Config draw_settings(Rng rng);
  // Schedules `fn` after `delay`; addressed to `node` (0: none), and dropped if that node is no
  // longer in `incarnation` (0: any) when the time comes.
  void at(Time delay, raft::NodeId node, std::uint64_t incarnation, std::function<void()> fn);
  std::uint64_t incarnation(raft::NodeId id) const { return slots_.at(id).node->incarnation(); }
  void push(Event ev);
  void dispatch(Event ev);
  void settle();
  void touch(raft::NodeId id) { touched_.push_back(id); }
  SimNode* up_node(raft::NodeId id);
  std::vector<SimNode*> up_nodes();

  void add_node(raft::NodeId id, const raft::ConfState& initial);
  void start_node(raft::NodeId id);
  void schedule_tick(raft::NodeId id);
  void schedule_ready(raft::NodeId id);
  void process_ready(raft::NodeId id);
  void crashed(raft::NodeId id);
  void retire(raft::NodeId id);
  // `report_to`: the sender's incarnation when it waits to hear how its snapshot went, else 0.
  void deliver(const Packet& p, std::uint64_t report_to);
  void report_snapshot(const raft::Message& m, std::uint64_t sender, bool ok, Time delay);

  ClusterView view();
  void fault_step();
  void apply_fault(const FaultAction& a, const ClusterView& v);
  void propose_conf_change(raft::NodeId leader, const raft::ConfChange& cc);
  void client_step();
  void heal();
  // The live members, when the cluster has converged (else empty).
  std::vector<const SimNode*> converged_members();
  void liveness_check();
  std::string describe_cluster();

  RunConfig cfg_;
  Time now_ = 0;
  Trace trace_;
  raft::Config settings_;
  Network net_;
  FaultSchedule faults_;
  Workload workload_;
  Checker checker_;
  Rng crash_rng_;
  Rng clock_rng_;
  Rng disk_rng_;
  std::map<raft::NodeId, Slot> slots_;
  raft::NodeId next_id_;
  std::vector<Event> queue_;  // a heap ordered by Later
  std::uint64_t seq_ = 0;
  std::vector<raft::NodeId> touched_;
  std::set<raft::Index> conf_changes_seen_;
  std::uint64_t net_generation_ = 0;
  Time heal_at_;
  bool healed_ = false;
  bool done_ = false;
  RunStats stats_;
};

Simulation::Simulation(const RunConfig& cfg)
    : cfg_(cfg),
      trace_(cfg.verbose, now_),
      settings_(draw_settings(Rng(cfg.seed).fork(kSettings))),
      net_(Rng(cfg.seed).fork(kNet)),
      faults_(cfg.faults, Rng(cfg.seed).fork(kFaults)),
      workload_(Rng(cfg.seed).fork(kClients), trace_),
      checker_([this](raft::NodeId id) -> const SimNode* { return up_node(id); },
               cfg.durability_checks),
      crash_rng_(Rng(cfg.seed).fork(kCrashes)),
      clock_rng_(Rng(cfg.seed).fork(kClocks)),
      disk_rng_(Rng(cfg.seed).fork(kDisks)),
      next_id_(static_cast<raft::NodeId>(cfg.nodes) + 1) {
  Rng phase = Rng(cfg.seed).fork(kSettings).fork(1);
  heal_at_ = (cfg.fault_ticks > 0 ? cfg.fault_ticks : phase.between(400, 1500)) * kTickUnits;
}

raft::Config Simulation::draw_settings(Rng rng) {
  raft::Config c;
  c.election_tick = kElectionTick;
  c.heartbeat_tick = static_cast<int>(rng.between(1, 3));
  static const std::size_t inflight[] = {1, 4, 256};
  static const std::size_t bytes[] = {256, 4096, std::size_t{1} << 20};
  c.max_inflight_msgs = inflight[rng.below(3)];
  c.max_msg_bytes = bytes[rng.below(3)];
  c.pre_vote = rng.chance(0.85);
  c.check_quorum = rng.chance(0.85);
  return c;
}

void Simulation::at(Time delay, raft::NodeId node, std::uint64_t incarnation,
                    std::function<void()> fn) {
  push(Event{now_ + delay, 0, node, incarnation, std::move(fn)});
}

void Simulation::push(Event ev) {
  ev.seq = ++seq_;
  queue_.push_back(std::move(ev));
  std::push_heap(queue_.begin(), queue_.end(), Later{});
}

SimNode* Simulation::up_node(raft::NodeId id) {
  const auto it = slots_.find(id);
  if (it == slots_.end() || it->second.retired || !it->second.node->up()) return nullptr;
  return it->second.node.get();
}

std::vector<SimNode*> Simulation::up_nodes() {
  std::vector<SimNode*> out;
  for (auto& [id, slot] : slots_) {
    if (SimNode* n = up_node(id)) out.push_back(n);
  }
  return out;
}

void Simulation::dispatch(Event ev) {
  now_ = ev.at;
  if (ev.node != raft::kNoNode) {
    Slot& slot = slots_.at(ev.node);
    if (slot.retired) return;
    if (ev.incarnation != 0 && (ev.incarnation != slot.node->incarnation() || !slot.node->up())) return;
    if (slot.paused_until > now_) {  // a paused process does nothing until it resumes
      ev.at = slot.paused_until;
      push(std::move(ev));
      return;
    }
  }
  ev.fn();
  settle();
}

void Simulation::settle() {
  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  for (raft::NodeId id : touched_) {
    if (SimNode* n = up_node(id)) {
      checker_.after_step(*n);
      schedule_ready(id);
    }
  }
  touched_.clear();
}

void Simulation::add_node(raft::NodeId id, const raft::ConfState& initial) {
  Slot& slot = slots_[id];
  slot.node = std::make_unique<SimNode>(id, initial, settings_, *this, trace_);
  start_node(id);
}

void Simulation::start_node(raft::NodeId id) {
  Slot& slot = slots_.at(id);
  slot.node->start(mix64(cfg_.seed ^ mix64(id << 20 | (slot.node->incarnation() + 1))));
  // Clocks run at different rates: each incarnation gets its own tick interval.
  slot.tick_interval = kTickUnits * clock_rng_.between(70, 140) / 100;
  slot.ready_scheduled = false;
  slot.crash_next_ready = CrashPoint::kNone;
  schedule_tick(id);
  touch(id);
}

void Simulation::schedule_tick(raft::NodeId id) {
  Slot& slot = slots_.at(id);
  const Time jitter = clock_rng_.between(-slot.tick_interval / 50, slot.tick_interval / 50);
  at(slot.tick_interval + jitter, id, incarnation(id), [this, id] {
    slots_.at(id).node->core().tick();
    touch(id);
    schedule_tick(id);
  });
}

void Simulation::schedule_ready(raft::NodeId id) {
  Slot& slot = slots_.at(id);
  if (slot.ready_scheduled || !slot.node->core().has_ready()) return;
  slot.ready_scheduled = true;
  const Time latency = disk_rng_.chance(0.03) ? disk_rng_.between(200, 3000) : disk_rng_.between(5, 200);
  at(latency, id, incarnation(id), [this, id] {
    Slot& s = slots_.at(id);
    s.ready_scheduled = false;
    if (s.node->core().has_ready()) process_ready(id);
  });
}

void Simulation::process_ready(raft::NodeId id) {
  Slot& slot = slots_.at(id);
  const CrashPoint crash_at = slot.crash_next_ready;
  slot.crash_next_ready = CrashPoint::kNone;
  if (!slot.node->process_ready(crash_at, crash_rng_)) return crashed(id);
  touch(id);
}

void Simulation::crashed(raft::NodeId id) {
  Slot& slot = slots_.at(id);
  ++stats_.crashes;
  slot.ready_scheduled = false;
  checker_.on_crash(*slot.node);
  workload_.on_crash(*slot.node);
  const std::uint64_t inc = slot.node->incarnation();
  at(std::max<Time>(slot.downtime, 1), id, 0, [this, id, inc] {
    Slot& s = slots_.at(id);
    if (!s.node->up() && s.node->incarnation() == inc) start_node(id);
  });
}

void Simulation::retire(raft::NodeId id) {
  Slot& slot = slots_.at(id);
  if (slot.retired) return;
  trace_("n%llu retires: it is no longer a member", u(id));
  if (slot.node->up()) {
    slot.node->crash(crash_rng_);
    checker_.on_crash(*slot.node);
    workload_.on_crash(*slot.node);
  }
  slot.retired = true;
}

void Simulation::on_ready(const SimNode& n, const raft::Ready& rd) {
  checker_.on_ready(n, rd);
  if (!trace_.enabled()) return;
  std::string what = strf("n%llu ready: %s leader %llu", u(n.id()), raft::to_string(rd.soft.role),
                          u(rd.soft.leader));
  if (rd.hard_state)
    what += strf(", hard term %llu vote %llu commit %llu", u(rd.hard_state->term),
                 u(rd.hard_state->vote), u(rd.hard_state->commit));
  if (!rd.entries.empty())
    what += strf(", entries %llu..%llu", u(rd.entries.front().index), u(rd.entries.back().index));
  if (rd.snapshot) what += strf(", snapshot %llu/%llu", u(rd.snapshot->index), u(rd.snapshot->term));
  if (!rd.committed.empty())
    what += strf(", apply %llu..%llu", u(rd.committed.front().index), u(rd.committed.back().index));
  what += strf(", send %zu+%zu", rd.send_now.size(), rd.send_after_persist.size());
  if (!rd.read_states.empty() || !rd.failed_reads.empty())
    what += strf(", reads %zu ok %zu failed", rd.read_states.size(), rd.failed_reads.size());
  trace_("%s", what.c_str());
}

void Simulation::on_persisted(const SimNode& n, const raft::Ready& rd) {
  checker_.on_persisted(n, rd.entries);
}

void Simulation::on_send(const SimNode& n, Packet p, bool after_persist) {
  checker_.on_send(n, p, after_persist);
  const auto copies = net_.fate();
  trace_("  send %s%s", describe(p.msg).c_str(),
         copies.empty() ? " (lost)" : copies.size() > 1 ? " (duplicated)" : "");
  // The sender of a snapshot learns how its stream went (report_snapshot) from the first copy.
  const std::uint64_t sender = p.snapshot ? incarnation(n.id()) : 0;
  if (copies.empty() && sender) report_snapshot(p.msg, sender, false, kStreamTimeout);
  for (std::size_t i = 0; i < copies.size(); ++i) {
    at(copies[i], p.msg.to, 0, [this, p, report = i == 0 ? sender : 0] { deliver(p, report); });
  }
}

void Simulation::deliver(const Packet& p, std::uint64_t report_to) {
  SimNode* n = up_node(p.msg.to);
  const bool cut = !net_.link_up(p.msg.from, p.msg.to);
  if (report_to) report_snapshot(p.msg, report_to, n && !cut, kStreamAckDelay);
  if (!n) return;
  if (cut) {
    trace_("  cut %s", describe(p.msg).c_str());
    return;
  }
  trace_("n%llu <- %s", u(n->id()), describe(p.msg).c_str());
  n->deliver(p);
  touch(n->id());
}

void Simulation::report_snapshot(const raft::Message& m, std::uint64_t sender, bool ok, Time delay) {
  at(delay, m.from, sender, [this, from = m.from, to = m.to, ok] {
    trace_("n%llu snapshot to n%llu %s", u(from), u(to), ok ? "delivered" : "failed");
    slots_.at(from).node->core().report_snapshot(to, ok);
    touch(from);
  });
}

void Simulation::on_restore(const SimNode& n, const SnapshotData& data) {
  ++stats_.snapshots;
  trace_("n%llu installs snapshot %llu/%llu %s (%zu commands)", u(n.id()), u(data.meta.index),
         u(data.meta.term), describe(data.meta.conf).c_str(), data.commands.size());
  checker_.on_restore(n, data);
}

void Simulation::on_apply(const SimNode& n, const raft::Entry& e, std::optional<CommandId> cmd,
                          const raft::ConfChange* cc) {
  checker_.on_apply(n, e);
  workload_.on_apply(n, e, cmd, now_);
  if (!cc || !conf_changes_seen_.insert(e.index).second) return;
  ++stats_.conf_changes;
  if (cc->type == raft::ConfChangeType::kRemoveNode && slots_.count(cc->node)) {
    // A removed node is shut down a while later, whether or not it has learnt of its removal.
    const raft::NodeId gone = cc->node;
    at(2 * kElectionTick * kTickUnits, raft::kNoNode, 0, [this, gone] { retire(gone); });
  }
}

void Simulation::on_read_done(const SimNode& n, const std::string& context, bool ok) {
  workload_.on_read_done(n, context, ok, now_);
}

ClusterView Simulation::view() {
  ClusterView v;
  v.initial_voters = static_cast<std::size_t>(cfg_.nodes);
  raft::Term best = 0;
  for (auto& [id, slot] : slots_) {
    if (slot.retired) continue;
    v.nodes.push_back(id);
    if (!slot.node->up()) continue;
    v.up.push_back(id);
    raft::Status st = slot.node->core().status();
    if (st.role == raft::Role::kLeader && st.hard.term >= best) {
      best = st.hard.term;
      v.leader = id;
      v.leader_status = std::move(st);
    }
  }
  return v;
}

void Simulation::fault_step() {
  if (healed_) return;
  const ClusterView v = view();
  apply_fault(faults_.next(v), v);
  at(faults_.next_gap(), raft::kNoNode, 0, [this] { fault_step(); });
}

void Simulation::apply_fault(const FaultAction& a, const ClusterView& v) {
  using Kind = FaultAction::Kind;
  if (a.kind == Kind::kNothing) return;
  trace_("fault: %s n%llu for %.1f ticks", to_string(a.kind), u(a.node),
         static_cast<double>(a.duration) / kTickUnits);
  switch (a.kind) {
    case Kind::kCrash: {
      Slot& slot = slots_.at(a.node);
      slot.downtime = a.duration;
      if (a.crash_at != CrashPoint::kNone) {
        slot.crash_next_ready = a.crash_at;
      } else {
        slot.node->crash(crash_rng_);
        crashed(a.node);
      }
      break;
    }
    case Kind::kPause:
      slots_.at(a.node).paused_until = std::max(slots_.at(a.node).paused_until, now_ + a.duration);
      break;
    case Kind::kPartition:
      ++stats_.partitions;
      for (const auto& [from, to] : a.cuts) net_.block(from, to);
      at(a.duration, raft::kNoNode, 0, [this, cuts = a.cuts] {
        for (const auto& [from, to] : cuts) net_.unblock(from, to);
        trace_("partition heals (%zu links)", cuts.size());
      });
      break;
    case Kind::kNetwork: {
      net_.set_profile(a.profile);
      const std::uint64_t gen = ++net_generation_;
      at(a.duration, raft::kNoNode, 0, [this, gen] {
        if (net_generation_ == gen) net_.set_profile(faults_.calm());
      });
      break;
    }
    case Kind::kAddLearner: {
      const raft::NodeId id = next_id_++;
      propose_conf_change(v.leader, {raft::ConfChangeType::kAddLearner, id, "sim"});
      break;
    }
    case Kind::kPromote:
      propose_conf_change(v.leader, {raft::ConfChangeType::kPromoteLearner, a.node, ""});
      break;
    case Kind::kRemove:
      propose_conf_change(v.leader, {raft::ConfChangeType::kRemoveNode, a.node, ""});
      break;
    case Kind::kTransfer: {
      const raft::Error err = up_node(v.leader)->core().transfer_leader(a.node);
      trace_("n%llu transfer leadership to n%llu: %s", u(v.leader), u(a.node), raft::to_string(err));
      if (err == raft::Error::kOk) ++stats_.transfers;
      touch(v.leader);
      break;
    }
    case Kind::kCompact: {
      SimNode& n = *up_node(a.node);
      const raft::Index applied = n.state_machine().applied();
      if (applied > a.compact_lag && applied - a.compact_lag > n.storage().snapshot().index) {
        n.compact(applied - a.compact_lag);
        ++stats_.compactions;
        touch(a.node);
      }
      break;
    }
    case Kind::kNothing: break;
  }
}

void Simulation::propose_conf_change(raft::NodeId leader, const raft::ConfChange& cc) {
  const raft::ProposeResult r = up_node(leader)->core().propose_conf_change(cc);
  trace_("n%llu proposes %s: %s at %llu", u(leader), describe(cc).c_str(), raft::to_string(r.error),
         u(r.index));
  touch(leader);
  if (r.error == raft::Error::kOk && cc.type == raft::ConfChangeType::kAddLearner)
    add_node(cc.node, raft::ConfState{});  // a fresh, empty node that learns everything from the leader
}

void Simulation::client_step() {
  const raft::NodeId id = healed_ ? workload_.probe(up_nodes(), now_) : workload_.step(up_nodes(), now_);
  if (id != raft::kNoNode) touch(id);
  if (!healed_) at(clock_rng_.between(100, 1200), raft::kNoNode, 0, [this] { client_step(); });
}

void Simulation::heal() {
  healed_ = true;
  trace_("HEAL: partitions end, the network calms down, crashed nodes restart");
  net_.heal_all();
  net_.set_profile(faults_.calm());
  ++net_generation_;
  for (auto& [id, slot] : slots_) {
    if (slot.retired) continue;
    slot.paused_until = 0;
    slot.crash_next_ready = CrashPoint::kNone;
    if (!slot.node->up()) start_node(id);
  }
  liveness_check();
}

std::vector<const SimNode*> Simulation::converged_members() {
  const ClusterView v = view();
  if (v.leader == raft::kNoNode || !workload_.probes_done()) return {};
  const raft::Status& ls = v.leader_status;
  const SimNode& leader = *up_node(v.leader);
  // The leader's last entry is of its own term and committed.
  if (ls.hard.commit != ls.last_index || leader.core().term_at(ls.last_index) != ls.hard.term) return {};
  std::vector<raft::NodeId> ids = ls.conf.voters;
  ids.insert(ids.end(), ls.conf.learners.begin(), ls.conf.learners.end());
  std::vector<const SimNode*> members;
  for (raft::NodeId id : ids) {
    const SimNode* n = up_node(id);
    if (!n) return {};
    const raft::Status st = n->core().status();
    if (st.leader != v.leader || st.hard.term != ls.hard.term ||
        n->state_machine().applied() != ls.hard.commit)
      return {};
    members.push_back(n);
  }
  return members;
}

void Simulation::liveness_check() {
  const std::vector<const SimNode*> members = converged_members();
  if (members.empty()) {
    at(kTickUnits, raft::kNoNode, 0, [this] {
      client_step();
      liveness_check();
    });
    return;
  }
  done_ = true;
  stats_.converge_ticks = static_cast<double>(now_ - heal_at_) / kTickUnits;
  trace_("CONVERGED: %zu members agree on leader and applied index", members.size());
  checker_.check_logs_match(members);
  workload_.check_final(members);
}

std::string Simulation::describe_cluster() {
  std::string out;
  for (auto& [id, slot] : slots_) {
    out += strf("\n  n%llu ", u(id));
    if (slot.retired) {
      out += "retired";
    } else if (!slot.node->up()) {
      out += "down";
    } else {
      const raft::Status st = slot.node->core().status();
      out += strf("%s term %llu leader %llu commit %llu log (%llu, %llu] applied %llu %s",
                  raft::to_string(st.role), u(st.hard.term), u(st.leader), u(st.hard.commit),
                  u(st.first_index - 1), u(st.last_index), u(slot.node->state_machine().applied()),
                  describe(st.conf).c_str());
    }
  }
  return out;
}

RunResult Simulation::run() {
  RunResult result;
  try {
    trace_("seed %llu: %d nodes, faults %s, heartbeat %d ticks, inflight %zu, msg bytes %zu, "
           "pre-vote %d, check-quorum %d, heal at tick %lld", u(cfg_.seed), cfg_.nodes,
           to_string(cfg_.faults), settings_.heartbeat_tick, settings_.max_inflight_msgs,
           settings_.max_msg_bytes, settings_.pre_vote, settings_.check_quorum,
           static_cast<long long>(heal_at_ / kTickUnits));
    raft::ConfState founders;
    for (int i = 1; i <= cfg_.nodes; ++i) founders.voters.push_back(static_cast<raft::NodeId>(i));
    for (raft::NodeId id : founders.voters) add_node(id, founders);
    settle();
    at(faults_.next_gap(), raft::kNoNode, 0, [this] { fault_step(); });
    at(clock_rng_.between(100, 1200), raft::kNoNode, 0, [this] { client_step(); });
    at(heal_at_, raft::kNoNode, 0, [this] { heal(); });
    const Time deadline = heal_at_ + kLivenessBoundTicks * kTickUnits;
    while (!done_) {
      if (queue_.empty()) violate("liveness", "nothing is left to happen");
      if (++stats_.events > kMaxEvents) violate("runaway", "too many events");
      std::pop_heap(queue_.begin(), queue_.end(), Later{});
      Event ev = std::move(queue_.back());
      queue_.pop_back();
      if (ev.at > deadline)
        violate("liveness", strf("no converged cluster %d ticks after healing:%s",
                                 kLivenessBoundTicks, describe_cluster().c_str()));
      dispatch(std::move(ev));
    }
  } catch (const Violation& v) {
    result.ok = false;
    result.invariant = v.invariant();
    result.detail = v.what();
    trace_("VIOLATION %s", v.what());
  }
  const WorkloadStats& w = workload_.stats();
  stats_.elections = checker_.elections();
  stats_.proposed = w.proposed;
  stats_.acked = w.acked;
  stats_.reads_ok = w.reads_ok;
  stats_.reads_failed = w.reads_failed;
  result.stats = stats_;
  return result;
}

}  // namespace

RunResult run_simulation(const RunConfig& config) {
  Simulation sim(config);
  return sim.run();
}

}  // namespace taskraft::sim

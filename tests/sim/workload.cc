// The simulated clients; see workload.h.
#include "workload.h"

#include "violation.h"

namespace taskraft::sim {

namespace {
using ull = unsigned long long;
ull u(std::uint64_t v) { return static_cast<ull>(v); }
constexpr Time kProbeRetry = 30 * kTickUnits;  // a probe that got lost is sent again after this
}  // namespace

SimNode* Workload::pick_leader(const std::vector<SimNode*>& up) {
  SimNode* best = nullptr;
  raft::Term best_term = 0;
  for (SimNode* n : up) {
    const raft::Status st = n->core().status();
    if (st.role == raft::Role::kLeader && (!best || st.hard.term > best_term)) {
      best = n;
      best_term = st.hard.term;
    }
  }
  return best;
}

raft::NodeId Workload::step(const std::vector<SimNode*>& up, Time now) {
  if (up.empty()) return raft::kNoNode;
  SimNode* target = pick_leader(up);
  if (!target || rng_.chance(0.1)) target = up[rng_.below(up.size())];
  if (rng_.chance(0.25)) {
    read(*target, false);
  } else {
    propose(*target, false);
  }
  return target->id();
}

raft::NodeId Workload::probe(const std::vector<SimNode*>& up, Time now) {
  if (up.empty() || probes_done()) return raft::kNoNode;
  if (probe_sent_ >= 0 && now - probe_sent_ < kProbeRetry) return raft::kNoNode;
  SimNode* target = pick_leader(up);
  if (!probe_write_acked_) {
    if (!target) return raft::kNoNode;
    propose(*target, true);
  } else {
    target = up[rng_.below(up.size())];
    read(*target, true);
  }
  probe_sent_ = now;
  return target->id();
}

void Workload::propose(SimNode& n, bool probe) {
  const CommandId cmd = next_cmd_++;
  const std::size_t padding = rng_.chance(0.05) ? rng_.below(4000) : rng_.below(64);
  const raft::ProposeResult r = n.core().propose(encode_command(cmd, padding));
  if (r.error != raft::Error::kOk) {
    ++stats_.refused;
    trace_("client: n%llu refuses command %llu: %s", u(n.id()), u(cmd), raft::to_string(r.error));
    if (probe) probe_sent_ = -1;
    return;
  }
  ++stats_.proposed;
  pending_[{n.id(), r.index}] = Pending{cmd, r.term, probe};
  trace_("client: n%llu accepts command %llu at %llu/%llu", u(n.id()), u(cmd), u(r.index), u(r.term));
}

void Workload::read(SimNode& n, bool probe) {
  const std::string context = "read" + std::to_string(next_read_++);
  ++stats_.reads_started;
  reads_[context] = Read{n.id(), newest_ack_.index, newest_ack_.cmd, probe};
  trace_("client: %s at n%llu must see index %llu", context.c_str(), u(n.id()), u(newest_ack_.index));
  n.core().read_index(context);
}

void Workload::on_apply(const SimNode& n, const raft::Entry& e, std::optional<CommandId> cmd,
                        Time now) {
  const auto it = pending_.find({n.id(), e.index});
  if (it == pending_.end()) return;
  const Pending p = it->second;
  pending_.erase(it);
  if (e.term != p.term || cmd != p.cmd) return;  // overwritten: never acknowledged
  ++stats_.acked;
  acks_.push_back(Ack{p.cmd, e.index});
  if (e.index > newest_ack_.index) newest_ack_ = acks_.back();
  if (p.probe) {
    probe_write_acked_ = true;
    probe_sent_ = -1;
  }
  trace_("client: command %llu acknowledged by n%llu at %llu/%llu", u(p.cmd), u(n.id()),
         u(e.index), u(e.term));
}

void Workload::on_read_done(const SimNode& n, const std::string& context, bool ok, Time now) {
  const auto it = reads_.find(context);
  if (it == reads_.end()) return;  // a duplicate answer
  const Read r = it->second;
  reads_.erase(it);
  if (r.node != n.id())
    violate("read routing", strf("%s asked at n%llu is answered at n%llu", context.c_str(),
                                 u(r.node), u(n.id())));
  if (!ok) {
    ++stats_.reads_failed;
    trace_("client: %s at n%llu refused", context.c_str(), u(n.id()));
    if (r.probe) probe_sent_ = -1;
    return;
  }
  const StateMachine& sm = n.state_machine();
  if (r.must_see > 0 && (sm.applied() < r.must_see || sm.command_at(r.must_see) != r.must_see_cmd))
    violate("linearizable read",
            strf("%s at n%llu observes applied index %llu, but command %llu was acknowledged at "
                 "index %llu before the read began", context.c_str(), u(n.id()), u(sm.applied()),
                 u(r.must_see_cmd), u(r.must_see)));
  ++stats_.reads_ok;
  if (r.probe) probe_read_done_ = true;
  trace_("client: %s at n%llu observes applied index %llu", context.c_str(), u(n.id()),
         u(sm.applied()));
}

void Workload::on_crash(const SimNode& n) {
  std::erase_if(pending_, [&](const auto& kv) {
    if (kv.first.first == n.id() && kv.second.probe) probe_sent_ = -1;
    return kv.first.first == n.id();
  });
  std::erase_if(reads_, [&](const auto& kv) {
    if (kv.second.node == n.id() && kv.second.probe) probe_sent_ = -1;
    return kv.second.node == n.id();
  });
}

void Workload::check_final(const std::vector<const SimNode*>& live) const {
  if (live.empty()) return;
  const StateMachine& first = live.front()->state_machine();
  for (const SimNode* n : live) {
    const StateMachine& sm = n->state_machine();
    for (const Ack& a : acks_) {
      if (sm.command_at(a.index) != a.cmd)
        violate("acknowledged write durable", strf("n%llu lacks command %llu acknowledged at "
                                                   "index %llu", u(n->id()), u(a.cmd), u(a.index)));
    }
    if (sm.applied() != first.applied() || sm.commands() != first.commands())
      violate("replicas converge", strf("n%llu (applied %llu, %zu commands) differs from n%llu "
                                        "(applied %llu, %zu commands)", u(n->id()), u(sm.applied()),
                                        sm.commands().size(), u(live.front()->id()),
                                        u(first.applied()), first.commands().size()));
  }
}

}  // namespace taskraft::sim

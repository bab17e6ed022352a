// The invariant checker; see checker.h.
#include "checker.h"

#include <algorithm>

#include "violation.h"

namespace taskraft::sim {

namespace {

using ull = unsigned long long;

std::uint64_t entry_hash(const raft::Entry& e) {
  std::uint64_t h = 1469598103934665603ULL ^ static_cast<std::uint64_t>(e.type);
  for (unsigned char c : e.data) h = (h ^ c) * 1099511628211ULL;
  return h;
}

ull u(std::uint64_t v) { return static_cast<ull>(v); }

}  // namespace

Checker::Checker(std::function<const SimNode*(raft::NodeId)> lookup, bool durability_checks)
    : lookup_(std::move(lookup)), durability_checks_(durability_checks) {}

Checker::Committed& Checker::committed_at(raft::Index index) {
  if (committed_.size() <= index) committed_.resize(index + 1);
  return committed_[index];
}

void Checker::after_step(const SimNode& n) {
  const raft::Status st = n.core().status();
  NodeView& v = views_[n.id()];
  const NodeView before = v;
  if (v.incarnation != n.incarnation()) {
    v = NodeView{n.incarnation(), st.hard.term, st.hard.commit};
  } else {
    if (st.hard.term < v.term)
      violate("term monotonic", strf("n%llu term goes back from %llu to %llu", u(n.id()), u(v.term),
                                     u(st.hard.term)));
    if (st.hard.commit < v.commit)
      violate("commit monotonic", strf("n%llu commit goes back from %llu to %llu", u(n.id()),
                                       u(v.commit), u(st.hard.commit)));
    v.term = st.hard.term;
    v.commit = st.hard.commit;
  }
  if (st.role != raft::Role::kLeader) {
    v.leader = false;
    leaders_.erase(n.id());
    return;
  }
  // Figure 8: a leader moves its commit index only by counting replicas of an entry of its term.
  if (before.leader && before.incarnation == n.incarnation() && before.term == st.hard.term &&
      st.hard.commit > before.commit && n.core().term_at(st.hard.commit) != st.hard.term)
    violate("commit rule (Figure 8)",
            strf("leader n%llu of term %llu commits up to %llu, an entry of term %llu", u(n.id()),
                 u(st.hard.term), u(st.hard.commit),
                 u(n.core().term_at(st.hard.commit).value_or(0))));
  // The same node leading a term again after a restart is harmless unless something of the first
  // leadership escaped, which the durability and Log Matching checks catch.
  const auto it = leader_of_term_.emplace(st.hard.term, n.id()).first;
  if (it->second != n.id())
    violate("Election Safety", strf("n%llu and n%llu both lead term %llu", u(it->second),
                                    u(n.id()), u(st.hard.term)));
  const auto last_term = n.core().term_at(st.last_index);
  if (!v.leader) {
    check_leader_completeness(n, st);
    v.leader = true;
    leaders_.insert(n.id());
  } else if (st.last_index < v.leader_last ||
             (v.leader_last + 1 >= st.first_index &&
              n.core().term_at(v.leader_last) != v.leader_last_term)) {
    violate("Leader Append-Only",
            strf("leader n%llu of term %llu: entry %llu/%llu is gone (log now ends at %llu/%llu)",
                 u(n.id()), u(st.hard.term), u(v.leader_last), u(v.leader_last_term),
                 u(st.last_index), u(last_term.value_or(0))));
  }
  v.leader_last = st.last_index;
  v.leader_last_term = last_term.value_or(0);
}

void Checker::check_leader_completeness(const SimNode& n, const raft::Status& st) const {
  for (raft::Index i = st.first_index > 0 ? st.first_index - 1 : 0; i < committed_.size(); ++i) {
    const Committed& c = committed_[i];
    if (c.known && i > 0 && c.committed_by < st.hard.term) check_holds_committed(n, i, c.term);
  }
}

void Checker::check_holds_committed(const SimNode& leader, raft::Index index, raft::Term term) const {
  const auto t = leader.core().term_at(index);
  if (!t && index + 1 < leader.core().status().first_index) return;  // compacted: applied there
  if (t != term)
    violate("Leader Completeness",
            strf("leader n%llu of term %llu lacks committed entry %llu/%llu (has term %llu)",
                 u(leader.id()), u(leader.core().status().hard.term), u(index), u(term),
                 u(t.value_or(0))));
}

void Checker::on_ready(const SimNode& n, const raft::Ready& rd) {
  if (rd.snapshot) check_snapshot_point(*rd.snapshot, "snapshot to install");
}

void Checker::on_persisted(const SimNode& n, const std::vector<raft::Entry>& entries) {
  if (!entries.empty()) register_entries(n, n.core().term_at(entries.front().index - 1), entries);
}

void Checker::register_entries(const SimNode& n, std::optional<raft::Term> prev,
                               const std::vector<raft::Entry>& entries) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const raft::Entry& e = entries[i];
    if (i > 0 && e.index != entries[i - 1].index + 1)
      violate("Log Matching", strf("n%llu has non-contiguous entries %llu after %llu", u(n.id()),
                                   u(e.index), u(entries[i - 1].index)));
    if (i > 0) prev = entries[i - 1].term;
    const Facts facts{entry_hash(e), prev};
    const auto [it, fresh] = registry_.emplace(std::pair(e.index, e.term), facts);
    if (fresh) continue;
    if (it->second.hash != facts.hash)
      violate("Log Matching", strf("two different entries at index %llu in term %llu (n%llu)",
                                   u(e.index), u(e.term), u(n.id())));
    if (it->second.prev_term && facts.prev_term && it->second.prev_term != facts.prev_term)
      violate("Log Matching", strf("entry %llu/%llu follows term %llu in one log and %llu in "
                                   "another (n%llu)", u(e.index), u(e.term),
                                   u(*it->second.prev_term), u(*facts.prev_term), u(n.id())));
    if (!it->second.prev_term) it->second.prev_term = facts.prev_term;
  }
}

void Checker::on_send(const SimNode& n, const Packet& p, bool after_persist) {
  if (p.snapshot) check_snapshot_point(p.msg.snapshot, "snapshot sent");
  if (p.msg.type == raft::MessageType::kApp) register_entries(n, p.msg.log_term, p.msg.entries);
  if (durability_checks_) check_durable_before_send(n, p.msg);
}

void Checker::check_durable_before_send(const SimNode& n, const raft::Message& m) const {
  using raft::MessageType;
  const raft::HardState& hs = n.storage().hard_state();
  const bool pre_vote = m.type == MessageType::kPreVote || m.type == MessageType::kPreVoteResp;
  if (!pre_vote && m.term > hs.term)
    violate("durable before send", strf("n%llu sends %s with term %llu but only term %llu is on "
                                        "its disk", u(n.id()), describe(m).c_str(), u(m.term),
                                        u(hs.term)));
  // A grant is kept once its term is on disk with this vote, or once a later term is (a node
  // never votes in an earlier term again).
  if (m.type == MessageType::kVoteResp && !m.reject && hs.term <= m.term &&
      (hs.term != m.term || hs.vote != m.to))
    violate("durable before send", strf("n%llu grants its vote (%s) before the vote is on its "
                                        "disk (durable term %llu vote %llu)", u(n.id()),
                                        describe(m).c_str(), u(hs.term), u(hs.vote)));
  if (m.type == MessageType::kAppResp && !m.reject && m.index > n.storage().last_index())
    violate("durable before send", strf("n%llu acknowledges up to %llu but its disk ends at %llu",
                                        u(n.id()), u(m.index), u(n.storage().last_index())));
}

void Checker::check_snapshot_point(const raft::SnapshotMeta& meta, const char* what) const {
  if (meta.index < committed_.size() && committed_[meta.index].known &&
      committed_[meta.index].term != meta.term)
    violate("State Machine Safety", strf("%s at %llu/%llu but the committed entry there has term "
                                         "%llu", what, u(meta.index), u(meta.term),
                                         u(committed_[meta.index].term)));
}

void Checker::on_apply(const SimNode& n, const raft::Entry& e) {
  Committed& c = committed_at(e.index);
  const std::uint64_t hash = entry_hash(e);
  const raft::Term term_now = n.core().status().hard.term;
  if (c.known) {
    if (c.term != e.term || (c.hash && *c.hash != hash))
      violate("State Machine Safety", strf("n%llu applies %llu/%llu but %llu/%llu was applied "
                                           "there before", u(n.id()), u(e.index), u(e.term),
                                           u(e.index), u(c.term)));
    if (!c.hash) c.hash = hash;
    if (term_now >= c.committed_by) return;
    c.committed_by = term_now;
  } else {
    c = Committed{true, e.term, hash, decode_command(e.data).value_or(0), term_now};
    if (e.type != raft::EntryType::kNormal) c.cmd = 0;
  }
  for (raft::NodeId id : leaders_) {
    const SimNode* leader = lookup_(id);
    if (leader && leader->core().status().hard.term > c.committed_by)
      check_holds_committed(*leader, e.index, e.term);
  }
}

void Checker::on_restore(const SimNode& n, const SnapshotData& data) {
  const raft::SnapshotMeta& meta = data.meta;
  check_snapshot_point(meta, "snapshot installed");
  std::size_t k = 0;
  for (raft::Index i = 1; i <= meta.index && i < committed_.size(); ++i) {
    while (k < data.commands.size() && data.commands[k].first < i) ++k;
    const bool has = k < data.commands.size() && data.commands[k].first == i;
    const Committed& c = committed_[i];
    if (!c.known || !c.hash) continue;
    if ((c.cmd != 0) != has || (has && data.commands[k].second != c.cmd))
      violate("State Machine Safety", strf("n%llu installs snapshot %llu/%llu whose state differs "
                                           "from the applied entry at %llu", u(n.id()),
                                           u(meta.index), u(meta.term), u(i)));
  }
  Committed& point = committed_at(meta.index);
  if (!point.known) point = Committed{true, meta.term, std::nullopt, 0, n.core().status().hard.term};
}

void Checker::on_crash(const SimNode& n) {
  views_[n.id()].leader = false;
  leaders_.erase(n.id());
}

void Checker::check_logs_match(const std::vector<const SimNode*>& nodes) const {
  for (std::size_t a = 0; a < nodes.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes.size(); ++b) {
      const raft::Raft& x = nodes[a]->core();
      const raft::Raft& y = nodes[b]->core();
      const raft::Index lo = std::max(x.status().first_index, y.status().first_index);
      const raft::Index hi = std::min(x.status().last_index, y.status().last_index);
      raft::Index agree = 0;  // the highest index in [lo, hi] with the same term in both logs
      for (raft::Index i = hi; i >= lo && i > 0; --i) {
        if (x.term_at(i) == y.term_at(i)) {
          agree = i;
          break;
        }
      }
      if (agree == 0) continue;
      if (x.entries(lo, agree + 1) != y.entries(lo, agree + 1))
        violate("Log Matching", strf("n%llu and n%llu share entry %llu/%llu but differ before it",
                                     u(nodes[a]->id()), u(nodes[b]->id()), u(agree),
                                     u(x.term_at(agree).value_or(0))));
    }
  }
}

}  // namespace taskraft::sim

// The simulated node harness; see node.h.
#include "node.h"

#include <cassert>

#include "raft/conf_change.h"
#include "violation.h"

namespace taskraft::sim {

namespace {
using ull = unsigned long long;
constexpr const char* kContract = "persistence contract";
}  // namespace

const char* to_string(CrashPoint p) {
  static const char* names[] = {"none",          "after-send-now",  "after-snapshot-data",
                                "after-snapshot-point", "during-append", "after-sync",
                                "after-send-after-persist", "during-apply", "before-advance"};
  return names[static_cast<int>(p)];
}

SimNode::SimNode(raft::NodeId id, const raft::ConfState& initial, const raft::Config& settings,
                 NodeObserver& observer, const Trace& trace)
    : id_(id),
      settings_(settings),
      observer_(observer),
      trace_(trace),
      storage_(raft::SnapshotMeta{0, 0, initial}),
      sm_(initial) {}

void SimNode::start(std::uint64_t seed) {
  assert(!up());
  const raft::SnapshotMeta& restored = sm_.restored();
  if (restored.index > storage_.snapshot().index) {
    trace_("n%llu recovery: records snapshot point %llu that a crash interrupted",
           static_cast<ull>(id_), static_cast<ull>(restored.index));
    storage_.install_snapshot(restored);
  }
  raft::InitialState init = storage_.initial_state();
  // The state machine may be ahead of the durable commit index (a commit index alone is written
  // without a sync), never ahead of the durable log: what it applied was on disk first.
  if (sm_.applied() > storage_.last_index() || sm_.applied() < init.snapshot.index)
    violate(kContract, strf("n%llu restarts with applied %llu outside [snapshot %llu, durable "
                            "log %llu]", static_cast<ull>(id_), static_cast<ull>(sm_.applied()),
                            static_cast<ull>(init.snapshot.index),
                            static_cast<ull>(storage_.last_index())));
  raft::Config config = settings_;
  config.id = id_;
  config.seed = seed;
  config.applied = sm_.applied();
  ++incarnation_;
  trace_("n%llu starts (incarnation %llu): term %llu vote %llu commit %llu, log (%llu, %llu], "
         "applied %llu", static_cast<ull>(id_), static_cast<ull>(incarnation_),
         static_cast<ull>(init.hard.term), static_cast<ull>(init.hard.vote),
         static_cast<ull>(init.hard.commit), static_cast<ull>(init.snapshot.index),
         static_cast<ull>(storage_.last_index()), static_cast<ull>(config.applied));
  core_ = std::make_unique<raft::Raft>(config, init);
}

void SimNode::crash(Rng& rng) { crash_now(rng, CrashPoint::kNone); }

void SimNode::crash_now(Rng& rng, CrashPoint where) {
  assert(up());
  storage_.crash(rng);
  core_.reset();
  incoming_snapshots_.clear();
  waiting_reads_.clear();
  trace_("n%llu CRASH (%s): durable term %llu vote %llu commit %llu, log (%llu, %llu], applied %llu",
         static_cast<ull>(id_), to_string(where), static_cast<ull>(storage_.hard_state().term),
         static_cast<ull>(storage_.hard_state().vote), static_cast<ull>(storage_.hard_state().commit),
         static_cast<ull>(storage_.snapshot().index), static_cast<ull>(storage_.last_index()),
         static_cast<ull>(sm_.applied()));
}

void SimNode::deliver(const Packet& p) {
  assert(up());
  if (p.snapshot) incoming_snapshots_[p.snapshot->meta.index] = p.snapshot;
  core_->step(p.msg);
}

void SimNode::send(const raft::Message& m, bool after_persist) {
  if (m.from != id_)
    violate("message sender", strf("n%llu emits a message from %llu", static_cast<ull>(id_),
                                   static_cast<ull>(m.from)));
  Packet p{m, nullptr};
  if (m.type == raft::MessageType::kSnap) p.snapshot = snapshot_for(p.msg);
  observer_.on_send(*this, std::move(p), after_persist);
}

std::shared_ptr<const SnapshotData> SimNode::snapshot_for(raft::Message& m) const {
  // The core names its compaction point; like taskraft's store, the state machine ships its own
  // consistent copy at its applied index instead, and the meta is replaced to match (raft.h).
  const raft::SnapshotMeta& point = m.snapshot;
  if (point.index > sm_.applied() || point.index < sm_.restored().index ||
      point.conf != sm_.conf_at(point.index))
    violate("snapshot contract",
            strf("n%llu is asked to ship a snapshot from compaction point %llu %s, but its state "
                 "machine holds [%llu, %llu]", static_cast<ull>(id_), static_cast<ull>(point.index),
                 describe(point.conf).c_str(), static_cast<ull>(sm_.restored().index),
                 static_cast<ull>(sm_.applied())));
  const auto term = core_->term_at(sm_.applied());
  if (!term)
    violate("snapshot contract", strf("n%llu has no term for its applied index %llu",
                                      static_cast<ull>(id_), static_cast<ull>(sm_.applied())));
  m.snapshot = raft::SnapshotMeta{sm_.applied(), *term, sm_.conf()};
  return sm_.snapshot_at(m.snapshot);
}

void SimNode::install_snapshot(const raft::SnapshotMeta& meta) {
  auto it = incoming_snapshots_.find(meta.index);
  if (it == incoming_snapshots_.end() || !(it->second->meta == meta))
    violate("snapshot contract", strf("n%llu is told to install snapshot %llu/%llu it never received",
                                      static_cast<ull>(id_), static_cast<ull>(meta.index),
                                      static_cast<ull>(meta.term)));
  const auto data = it->second;
  incoming_snapshots_.erase(incoming_snapshots_.begin(), std::next(it));
  sm_.restore(*data);
  observer_.on_restore(*this, *data);
}

void SimNode::apply(const raft::Entry& e) {
  const auto durable = storage_.term_at(e.index);
  if (e.index > storage_.snapshot().index && durable != e.term)
    violate(kContract, strf("n%llu applies entry %llu/%llu that is not on its disk",
                            static_cast<ull>(id_), static_cast<ull>(e.index), static_cast<ull>(e.term)));
  if (e.type != raft::EntryType::kConfChange) {
    const auto cmd = sm_.apply(e, nullptr);
    observer_.on_apply(*this, e, cmd, nullptr);
    return;
  }
  const auto cc = raft::decode_conf_change(e.data);
  if (!cc) violate("conf change encoding", strf("entry %llu does not decode", static_cast<ull>(e.index)));
  const raft::ConfState conf = core_->apply_conf_change(*cc);
  trace_("n%llu applies conf change %llu: %s -> %s", static_cast<ull>(id_),
         static_cast<ull>(e.index), describe(*cc).c_str(), describe(conf).c_str());
  sm_.apply(e, &conf);
  observer_.on_apply(*this, e, std::nullopt, &*cc);
}

void SimNode::serve_reads() {
  std::erase_if(waiting_reads_, [&](const raft::ReadState& rs) {
    if (rs.index > sm_.applied()) return false;
    observer_.on_read_done(*this, rs.context, true);
    return true;
  });
}

bool SimNode::process_ready(CrashPoint crash_at, Rng& rng) {
  assert(up());
  const raft::Ready rd = core_->ready();
  observer_.on_ready(*this, rd);
  // Step 2: the leader's replication traffic goes out in parallel with its own disk write.
  for (const auto& m : rd.send_now) send(m, false);
  if (crash_at == CrashPoint::kAfterSendNow) return crash_now(rng, crash_at), false;
  // Step 3: the state machine takes the snapshot's data, then the disk records its point.
  if (rd.snapshot) {
    install_snapshot(*rd.snapshot);
    if (crash_at == CrashPoint::kAfterSnapshotData) return crash_now(rng, crash_at), false;
    storage_.install_snapshot(*rd.snapshot);
    if (crash_at == CrashPoint::kAfterSnapshotPoint) return crash_now(rng, crash_at), false;
  }
  // Step 4: entries and hard state, one sync for all of them (none for a commit index alone: a
  // crash may then lose it, as the contract allows).
  storage_.stage_entries(rd.entries);
  if (rd.hard_state) storage_.stage_hard_state(*rd.hard_state);
  if (crash_at == CrashPoint::kDuringAppend) return crash_now(rng, crash_at), false;
  if (rd.must_sync) storage_.sync();
  observer_.on_persisted(*this, rd);
  if (crash_at == CrashPoint::kAfterSync) return crash_now(rng, crash_at), false;
  // Step 5: what promises durability.
  for (const auto& m : rd.send_after_persist) send(m, true);
  if (crash_at == CrashPoint::kAfterSendAfterPersist) return crash_now(rng, crash_at), false;
  // Step 6: apply, then answer the reads whose index is applied.
  const std::size_t apply_count =
      crash_at == CrashPoint::kDuringApply ? rng.below(rd.committed.size() + 1) : rd.committed.size();
  for (std::size_t i = 0; i < apply_count; ++i) apply(rd.committed[i]);
  if (crash_at == CrashPoint::kDuringApply) return crash_now(rng, crash_at), false;
  for (const auto& context : rd.failed_reads) observer_.on_read_done(*this, context, false);
  waiting_reads_.insert(waiting_reads_.end(), rd.read_states.begin(), rd.read_states.end());
  serve_reads();
  if (crash_at == CrashPoint::kBeforeAdvance) return crash_now(rng, crash_at), false;
  // Step 7.
  core_->advance(rd);
  return true;
}

void SimNode::compact(raft::Index index) {
  assert(up());
  assert(index > storage_.snapshot().index && index <= sm_.applied());
  const raft::SnapshotMeta point = core_->compact(index);
  if (point.index > index || (point.index > storage_.snapshot().index &&
                              point.conf != sm_.conf_at(point.index)))
    violate("compaction point", strf("n%llu asked to compact to %llu gets %llu/%llu %s (its "
                                     "state machine has %s there)", static_cast<ull>(id_),
                                     static_cast<ull>(index), static_cast<ull>(point.index),
                                     static_cast<ull>(point.term), describe(point.conf).c_str(),
                                     describe(sm_.conf_at(std::min(index, point.index))).c_str()));
  storage_.compact(point);
  trace_("n%llu compacts its log up to %llu (asked %llu)", static_cast<ull>(id_),
         static_cast<ull>(point.index), static_cast<ull>(index));
}

}  // namespace taskraft::sim

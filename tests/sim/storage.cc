// The simulated WAL; see storage.h.
#include "storage.h"

#include <algorithm>

#include "trace.h"
#include "violation.h"

namespace taskraft::sim {

namespace {
using ull = unsigned long long;
constexpr const char* kContract = "persistence contract";
}  // namespace

void Storage::stage_entries(const std::vector<raft::Entry>& entries) {
  for (const auto& e : entries) staged_.emplace_back(e);
}

void Storage::stage_hard_state(const raft::HardState& hs) { staged_.emplace_back(hs); }

void Storage::sync() {
  for (const auto& r : staged_) write(r);
  staged_.clear();
}

void Storage::crash(Rng& rng) {
  const std::size_t survive = rng.below(staged_.size() + 1);
  staged_.resize(survive);
  sync();
}

void Storage::write(const Record& r) {
  if (const auto* hs = std::get_if<raft::HardState>(&r)) {
    if (hs->term < hard_.term)
      violate(kContract, strf("hard state term goes back from %llu to %llu",
                              static_cast<ull>(hard_.term), static_cast<ull>(hs->term)));
    if (hs->term == hard_.term && hard_.vote != raft::kNoNode && hs->vote != hard_.vote)
      violate("one vote per term", strf("durable vote in term %llu changes from %llu to %llu",
                                        static_cast<ull>(hs->term), static_cast<ull>(hard_.vote),
                                        static_cast<ull>(hs->vote)));
    if (hs->commit < hard_.commit)
      violate(kContract, strf("durable commit goes back from %llu to %llu",
                              static_cast<ull>(hard_.commit), static_cast<ull>(hs->commit)));
    hard_ = *hs;
    return;
  }
  const auto& e = std::get<raft::Entry>(r);
  if (e.index <= snap_.index)
    violate(kContract, strf("entry %llu handed out for persistence at or below the snapshot "
                            "point %llu", static_cast<ull>(e.index), static_cast<ull>(snap_.index)));
  if (e.index > last_index() + 1)
    violate(kContract, strf("entry %llu handed out for persistence leaves a gap after %llu",
                            static_cast<ull>(e.index), static_cast<ull>(last_index())));
  log_.resize(e.index - snap_.index - 1);
  log_.push_back(e);
}

void Storage::install_snapshot(const raft::SnapshotMeta& meta) {
  log_.clear();
  snap_ = meta;
}

void Storage::compact(const raft::SnapshotMeta& point) {
  if (point.index <= snap_.index) return;
  if (point.index > last_index() || term_at(point.index) != point.term)
    violate(kContract, strf("compaction point %llu/%llu is not in the durable log (%llu, %llu]",
                            static_cast<ull>(point.index), static_cast<ull>(point.term),
                            static_cast<ull>(snap_.index), static_cast<ull>(last_index())));
  log_.erase(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(point.index - snap_.index));
  snap_ = point;
}

raft::InitialState Storage::initial_state() const {
  raft::InitialState init;
  init.hard = hard_;
  init.hard.commit = std::max(init.hard.commit, snap_.index);
  init.snapshot = snap_;
  init.entries = log_;
  return init;
}

std::optional<raft::Term> Storage::term_at(raft::Index index) const {
  if (index == snap_.index) return snap_.term;
  if (const auto* e = entry_at(index)) return e->term;
  return std::nullopt;
}

const raft::Entry* Storage::entry_at(raft::Index index) const {
  if (index <= snap_.index || index > last_index()) return nullptr;
  return &log_[index - snap_.index - 1];
}

}  // namespace taskraft::sim

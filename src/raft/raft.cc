// The public face of the Raft core (raft.h): forwards to RaftImpl, which holds the state.
// Keeping the implementation behind a pointer keeps raft.h cheap to include everywhere.
#include "raft/raft.h"

#include "raft/raft_impl.h"

namespace taskraft::raft {

bool Ready::empty() const {
  return !hard_state && entries.empty() && !snapshot && send_now.empty() &&
         send_after_persist.empty() && committed.empty() && read_states.empty() &&
         failed_reads.empty();
}

Raft::Raft(const Config& config, const InitialState& initial)
    : impl_(std::make_unique<RaftImpl>(config, initial)) {}
Raft::~Raft() = default;
Raft::Raft(Raft&&) noexcept = default;
Raft& Raft::operator=(Raft&&) noexcept = default;

void Raft::tick() { impl_->tick(); }
void Raft::step(const Message& m) { impl_->step(Message(m)); }
void Raft::step(Message&& m) { impl_->step(std::move(m)); }
ProposeResult Raft::propose(std::string data) { return impl_->propose(std::move(data)); }
void Raft::read_index(std::string context) { impl_->read_index(std::move(context)); }
Error Raft::transfer_leader(NodeId to) { return impl_->transfer_leader(to); }
ProposeResult Raft::propose_conf_change(const ConfChange& cc) { return impl_->propose_conf_change(cc); }
ConfState Raft::apply_conf_change(const ConfChange& cc) { return impl_->apply_conf_change(cc); }
SnapshotMeta Raft::compact(Index index) { return impl_->compact(index); }
void Raft::report_snapshot(NodeId to, bool ok) { impl_->report_snapshot(to, ok); }
void Raft::campaign() { impl_->campaign(); }
bool Raft::has_ready() const { return impl_->has_ready(); }
Ready Raft::ready() { return impl_->ready(); }
void Raft::advance(const Ready& rd) { impl_->advance(rd); }
Status Raft::status() const { return impl_->status(); }
Term Raft::term() const { return impl_->term(); }
Index Raft::commit_index() const { return impl_->commit_index(); }
Index Raft::last_index() const { return impl_->last_index(); }
std::optional<Term> Raft::term_at(Index index) const { return impl_->term_at(index); }
std::vector<Entry> Raft::entries(Index lo, Index hi) const { return impl_->entries(lo, hi); }

}  // namespace taskraft::raft

// The in-memory Raft log; see log.h for what it guarantees.
#include "raft/log.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace taskraft::raft {

Log::Log(const SnapshotMeta& snapshot, std::vector<Entry> entries, Index committed, Index applied)
    : snapshot_(snapshot),
      entries_(std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end())),
      committed_(std::max(committed, snapshot.index)),
      applied_(std::max(applied, snapshot.index)),
      stable_(last_index()),
      handed_(last_index()) {
  committed_ = std::max(committed_, applied_);
  check_invariants();
}

void Log::check_invariants() const {
  assert(snapshot_.index <= applied_);
  assert(applied_ <= committed_);
  assert(committed_ <= last_index());
  assert(snapshot_.index <= stable_ && stable_ <= handed_ && handed_ <= last_index());
  assert(entries_.empty() || (entries_.front().index == first_index() &&
                              entries_.back().index == last_index() &&
                              entries_.front().term >= snapshot_.term));
}

std::optional<Term> Log::term_at(Index index) const {
  if (index == snapshot_.index) return snapshot_.term;
  if (index < snapshot_.index || index > last_index()) return std::nullopt;
  return entries_[offset(index)].term;
}

bool Log::match_term(Index index, Term term) const {
  const std::optional<Term> t = term_at(index);
  return t && *t == term;
}

bool Log::is_up_to_date(Index index, Term term) const {
  return term > last_term() || (term == last_term() && index >= last_index());
}

const Entry& Log::at(Index index) const {
  assert(index >= first_index() && index <= last_index());
  return entries_[offset(index)];
}

Index Log::append(Term term, EntryType type, std::string data) {
  assert(term >= last_term());
  const Index index = last_index() + 1;
  entries_.push_back(Entry{term, index, type, std::move(data)});
  return index;
}

std::optional<Index> Log::maybe_append(Index prev, Term prev_term, Index commit,
                                       std::vector<Entry>&& entries) {
  assert(prev >= committed_);
  if (!match_term(prev, prev_term)) return std::nullopt;
  const Index last_new = prev + entries.size();
  auto it = entries.begin();
  // Skip what we already have; the first entry whose term differs is a conflict.
  for (; it != entries.end() && it->index <= last_index(); ++it) {
    if (entries_[offset(it->index)].term != it->term) {
      assert(it->index > committed_);  // Log Matching: committed entries never conflict
      truncate_after(it->index - 1);
      break;
    }
  }
  for (; it != entries.end(); ++it) {
    assert(it->index == last_index() + 1 && it->term >= last_term());
    entries_.push_back(std::move(*it));
  }
  commit_to(std::min(commit, last_new));
  check_invariants();
  return last_new;
}

std::pair<Index, Term> Log::find_conflict_by_term(Index index, Term term) const {
  for (Index i = std::min(index, last_index());; --i) {
    const std::optional<Term> t = term_at(i);
    if (!t) return {i, 0};
    if (*t <= term || i == 0) return {i, *t};
  }
}

void Log::commit_to(Index index) {
  if (index <= committed_) return;
  assert(index <= last_index());
  committed_ = index;
}

std::vector<Entry> Log::slice(Index lo, Index hi, std::size_t max_bytes) const {
  assert(lo >= first_index() && hi <= last_index() + 1);
  std::vector<Entry> out;
  if (lo >= hi) return out;
  std::size_t bytes = 0;
  auto it = entries_.begin() + static_cast<std::ptrdiff_t>(offset(lo));
  const auto end = entries_.begin() + static_cast<std::ptrdiff_t>(offset(hi));
  for (; it != end; ++it) {
    bytes += it->data.size();
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(*it);
  }
  return out;
}

std::vector<Entry> Log::take_unstable() {
  std::vector<Entry> out(entries_.begin() + static_cast<std::ptrdiff_t>(offset(handed_ + 1)),
                         entries_.end());
  handed_ = last_index();
  return out;
}

std::vector<Entry> Log::take_committed() {
  std::vector<Entry> out(entries_.begin() + static_cast<std::ptrdiff_t>(offset(applied_ + 1)),
                         entries_.begin() + static_cast<std::ptrdiff_t>(offset(committed_ + 1)));
  applied_ = committed_;
  return out;
}

void Log::compact(Index index, const ConfState& conf) {
  if (index <= snapshot_.index) return;
  assert(index <= applied_ && index <= stable_);
  const Term term = at(index).term;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(offset(index + 1)));
  snapshot_ = SnapshotMeta{index, term, conf};
  check_invariants();
}

void Log::restore(const SnapshotMeta& snapshot) {
  assert(snapshot.index >= committed_);
  if (last_index() > snapshot.index)
    truncated_from_ = std::min(truncated_from_.value_or(snapshot.index + 1), snapshot.index + 1);
  snapshot_ = snapshot;
  entries_.clear();
  committed_ = applied_ = stable_ = handed_ = snapshot.index;
  check_invariants();
}

void Log::truncate_after(Index index) {
  assert(index >= committed_ && index < last_index());
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(offset(index + 1)), entries_.end());
  stable_ = std::min(stable_, index);
  handed_ = std::min(handed_, index);
  truncated_from_ = std::min(truncated_from_.value_or(index + 1), index + 1);
}

std::optional<Index> Log::take_truncation() { return std::exchange(truncated_from_, std::nullopt); }

}  // namespace taskraft::raft

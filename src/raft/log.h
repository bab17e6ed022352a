// The in-memory Raft log of one node: the snapshot point it starts after, the entries after it,
// and the positions that move along it (committed, applied, stable).
//
// Guarantees, asserted on every change:
//   snapshot.index <= applied <= committed <= last_index
//   snapshot.index <= stable  <= last_index, and handed-out <= last_index
//   entries are contiguous, start at snapshot.index + 1 and their terms never decrease
//   committed never moves back and a committed entry is never truncated
// "Stable" is what the caller has made durable: entries (stable, last] are handed out once, in a
// Ready (take_unstable), and become stable when that Ready is advanced (stable_to_handed). If a
// conflict truncates entries that were handed out but not yet advanced, the handed-out mark
// moves back with the truncation, so the replacements are handed out again.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "raft/types.h"

namespace taskraft::raft {

class Log {
 public:
  // `entries` are durable already; they must start at snapshot.index + 1.
  Log(const SnapshotMeta& snapshot, std::vector<Entry> entries, Index committed, Index applied);

  const SnapshotMeta& snapshot() const { return snapshot_; }
  Index first_index() const { return snapshot_.index + 1; }
  Index last_index() const { return snapshot_.index + entries_.size(); }
  Term last_term() const { return entries_.empty() ? snapshot_.term : entries_.back().term; }
  Index committed() const { return committed_; }
  Index applied() const { return applied_; }
  Index stable() const { return stable_; }

  // The term at `index` if it is the snapshot point or in the log, else nullopt.
  std::optional<Term> term_at(Index index) const;
  bool match_term(Index index, Term term) const;
  // Raft's up-to-date rule (5.4.1): is a log ending at (index, term) at least as new as ours?
  bool is_up_to_date(Index index, Term term) const;
  // The entry at `index`; first_index() <= index <= last_index().
  const Entry& at(Index index) const;

  // Leader: appends a new entry after the last one and returns its index.
  Index append(Term term, EntryType type, std::string data);
  // Follower: the AppendEntries consistency check. If the entry at `prev` has `prev_term`, the
  // entries are merged (the first conflicting one and everything after it replaced), the commit
  // moves to min(commit, last new index) and that last new index is returned; else nullopt.
  // `entries` must be contiguous from prev + 1 and prev >= committed().
  std::optional<Index> maybe_append(Index prev, Term prev_term, Index commit,
                                    std::vector<Entry>&& entries);
  // Fast back-off: the largest index <= `index` whose term is <= `term`, with that term
  // (term 0 when the answer lies before the snapshot point).
  std::pair<Index, Term> find_conflict_by_term(Index index, Term term) const;
  // Moves the commit index forward (never back); `index` <= last_index().
  void commit_to(Index index);

  // Copies of entries [lo, hi): at most `max_bytes` of payload, but at least one entry when
  // lo < hi. first_index() <= lo.
  std::vector<Entry> slice(Index lo, Index hi, std::size_t max_bytes) const;

  // The lowest index a conflict (or a restore) truncated since the last call (nullopt when none), then forgets
  // it. Acknowledgements of truncated entries not yet sent must be dropped: they never got durable.
  std::optional<Index> take_truncation();

  bool has_unstable() const { return last_index() > handed_; }
  // Hands out (stable, last] for persistence.
  std::vector<Entry> take_unstable();
  // The caller made everything handed out durable.
  void stable_to_handed() { stable_ = handed_; }

  bool has_unapplied() const { return committed_ > applied_; }
  // Hands out (applied, committed] for applying; applied becomes committed.
  std::vector<Entry> take_committed();

  // Drops entries up to `index` (applied and stable); `conf` is the membership at `index`.
  void compact(Index index, const ConfState& conf);
  // Replaces the whole log by a snapshot point not older than the commit index: committed,
  // applied and stable jump to it.
  void restore(const SnapshotMeta& snapshot);

 private:
  std::size_t offset(Index index) const { return index - snapshot_.index - 1; }
  void truncate_after(Index index);
  void check_invariants() const;

  SnapshotMeta snapshot_;
  std::deque<Entry> entries_;
  Index committed_;
  Index applied_;
  Index stable_;  // durable: acknowledged by advance()
  Index handed_;  // handed out for persistence in a Ready, maybe not durable yet
  std::optional<Index> truncated_from_;  // see take_truncation()
};

}  // namespace taskraft::raft

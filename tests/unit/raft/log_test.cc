// The in-memory log: consistency check, conflict truncation, fast back-off search, compaction,
// restore and the hand-out of unstable and committed entries.
#include <gtest/gtest.h>

#include "raft/log.h"
#include "script.h"

namespace taskraft::raft::testing {
namespace {

Log log_of(const std::vector<Term>& terms, Index committed = 0) {
  return Log(SnapshotMeta{}, entries_of_terms(terms), committed, 0);
}

std::vector<Term> terms_of(const Log& log) {
  std::vector<Term> out;
  for (Index i = log.first_index(); i <= log.last_index(); ++i) out.push_back(log.at(i).term);
  return out;
}

TEST(Log, TermLookupCoversSnapshotPointAndEntriesOnly) {
  Log log(SnapshotMeta{5, 2, {}}, entries_of_terms({2, 3}, 6), 5, 5);
  EXPECT_EQ(log.first_index(), 6u);
  EXPECT_EQ(log.last_index(), 7u);
  EXPECT_EQ(log.term_at(5), 2u);
  EXPECT_EQ(log.term_at(7), 3u);
  EXPECT_FALSE(log.term_at(4));
  EXPECT_FALSE(log.term_at(8));
}

TEST(Log, UpToDateComparesLastTermThenLength) {
  Log log = log_of({1, 2, 2});
  EXPECT_TRUE(log.is_up_to_date(3, 2));
  EXPECT_TRUE(log.is_up_to_date(1, 3));   // higher last term wins even when shorter
  EXPECT_FALSE(log.is_up_to_date(2, 2));  // same term, shorter
  EXPECT_FALSE(log.is_up_to_date(9, 1));  // lower last term loses even when longer
}

TEST(Log, AppendRejectedWhenPrevDoesNotMatch) {
  Log log = log_of({1, 1, 2});
  EXPECT_FALSE(log.maybe_append(3, 1, 0, entries_of_terms({3}, 4)));
  EXPECT_FALSE(log.maybe_append(4, 2, 0, entries_of_terms({3}, 5)));
  EXPECT_EQ(terms_of(log), (std::vector<Term>{1, 1, 2}));
}

TEST(Log, ConflictTruncatesFromTheFirstDifferingEntry) {
  Log log = log_of({1, 1, 2, 2, 2}, 2);
  auto last = log.maybe_append(2, 1, 9, entries_of_terms({2, 3}, 3));
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 4u);
  EXPECT_EQ(terms_of(log), (std::vector<Term>{1, 1, 2, 3}));
  EXPECT_EQ(log.committed(), 4u);  // min(leader commit, last new entry)
}

TEST(Log, DuplicateOrOlderAppendNeverTruncatesNewerEntries) {
  Log log = log_of({1, 1, 2, 2});
  auto last = log.maybe_append(1, 1, 0, entries_of_terms({1}, 2));
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 2u);
  EXPECT_EQ(log.last_index(), 4u);
}

TEST(Log, CommitIsCappedByTheLastNewEntryNotTheLog) {
  Log log = log_of({1, 1, 1, 1});
  ASSERT_TRUE(log.maybe_append(1, 1, 4, {}));
  EXPECT_EQ(log.committed(), 1u);
}

TEST(Log, FindConflictByTermSkipsWholeTerms) {
  Log log = log_of({1, 1, 2, 2, 2, 4, 4});
  EXPECT_EQ(log.find_conflict_by_term(7, 3), (std::pair<Index, Term>{5, 2}));
  EXPECT_EQ(log.find_conflict_by_term(7, 4), (std::pair<Index, Term>{7, 4}));
  EXPECT_EQ(log.find_conflict_by_term(9, 1), (std::pair<Index, Term>{2, 1}));
  EXPECT_EQ(log.find_conflict_by_term(7, 0), (std::pair<Index, Term>{0, 0}));
}

TEST(Log, FindConflictByTermBelowTheSnapshotAnswersTermZero) {
  Log log(SnapshotMeta{4, 3, {}}, entries_of_terms({5, 5}, 5), 4, 4);
  EXPECT_EQ(log.find_conflict_by_term(6, 4), (std::pair<Index, Term>{4, 3}));
  EXPECT_EQ(log.find_conflict_by_term(6, 2), (std::pair<Index, Term>{3, 0}));
}

TEST(Log, UnstableEntriesAreHandedOutOnceAndStableAfterAdvance) {
  Log log = log_of({1});
  log.append(1, EntryType::kNormal, "a");
  log.append(1, EntryType::kNormal, "b");
  ASSERT_TRUE(log.has_unstable());
  EXPECT_EQ(log.take_unstable().size(), 2u);
  EXPECT_FALSE(log.has_unstable());
  EXPECT_EQ(log.stable(), 1u);
  log.stable_to_handed();
  EXPECT_EQ(log.stable(), 3u);
}

TEST(Log, TruncationOfHandedOutEntriesHandsTheReplacementsOutAgain) {
  Log log = log_of({1});
  log.append(1, EntryType::kNormal, "a");
  log.append(1, EntryType::kNormal, "b");
  (void)log.take_unstable();
  ASSERT_TRUE(log.maybe_append(1, 1, 0, entries_of_terms({2}, 2)));
  log.stable_to_handed();
  EXPECT_EQ(log.stable(), 1u);  // index 2 was replaced before the Ready was advanced
  const std::vector<Entry> again = log.take_unstable();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].term, 2u);
}

TEST(Log, SliceRespectsTheByteCapButAlwaysTakesOneEntry) {
  Log log = log_of({});
  for (int i = 0; i < 5; ++i) log.append(1, EntryType::kNormal, std::string(10, 'x'));
  EXPECT_EQ(log.slice(1, 6, 25).size(), 2u);
  EXPECT_EQ(log.slice(1, 6, 1).size(), 1u);
  EXPECT_EQ(log.slice(1, 6, 1000).size(), 5u);
  EXPECT_TRUE(log.slice(3, 3, 1000).empty());
}

TEST(Log, CommittedEntriesAreHandedOutOnceInOrder) {
  Log log = log_of({1, 1, 1}, 2);
  std::vector<Entry> c = log.take_committed();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].index, 2u);
  EXPECT_FALSE(log.has_unapplied());
  log.commit_to(3);
  EXPECT_EQ(log.take_committed().front().index, 3u);
  log.commit_to(1);  // never backwards
  EXPECT_EQ(log.committed(), 3u);
}

TEST(Log, CompactionKeepsTheTermOfTheNewSnapshotPoint) {
  Log log = log_of({1, 2, 3}, 3);
  (void)log.take_committed();
  log.compact(2, ConfState{{1, 2, 3}, {}});
  EXPECT_EQ(log.first_index(), 3u);
  EXPECT_EQ(log.term_at(2), 2u);
  EXPECT_EQ(log.snapshot().conf.voters.size(), 3u);
  EXPECT_FALSE(log.term_at(1));
  log.compact(1, {});  // older than the snapshot point: nothing to do
  EXPECT_EQ(log.first_index(), 3u);
}

TEST(Log, RestoreReplacesEverything) {
  Log log = log_of({1, 1});
  log.restore(SnapshotMeta{10, 4, {}});
  EXPECT_EQ(log.first_index(), 11u);
  EXPECT_EQ(log.last_index(), 10u);
  EXPECT_EQ(log.committed(), 10u);
  EXPECT_EQ(log.applied(), 10u);
  EXPECT_EQ(log.stable(), 10u);
  EXPECT_EQ(log.last_term(), 4u);
}

}  // namespace
}  // namespace taskraft::raft::testing

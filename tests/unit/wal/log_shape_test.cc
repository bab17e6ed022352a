// The log rules shared by recovery and the live Wal: overwrite of a suffix, snapshot points
// that match or replace the log, and detection of a hole before the first entry.
#include "wal/log_shape.h"

#include <gtest/gtest.h>

#include <vector>

namespace taskraft::wal {
namespace {

std::vector<IndexTerm> items(const LogShape<IndexTerm>& log) {
  return {log.items().begin(), log.items().end()};
}

LogShape<IndexTerm> log_of(raft::Index first, raft::Index last, raft::Term term) {
  LogShape<IndexTerm> log;
  for (raft::Index i = first; i <= last; ++i) log.append({i, term});
  return log;
}

TEST(LogShape, AppendAtExistingIndexReplacesItAndEverythingAfter) {
  auto log = log_of(1, 5, 1);
  log.append({3, 2});
  EXPECT_EQ(items(log), (std::vector<IndexTerm>{{1, 1}, {2, 1}, {3, 2}}));
  EXPECT_EQ(log.last_index(), 3u);
  EXPECT_FALSE(log.hole());
}

TEST(LogShape, MatchingSnapshotDropsEntriesUpToIt) {
  auto log = log_of(1, 5, 1);
  log.mark_snapshot(raft::SnapshotMeta{3, 1, {}});
  EXPECT_EQ(items(log), (std::vector<IndexTerm>{{4, 1}, {5, 1}}));
  EXPECT_EQ(log.last_index(), 5u);
  EXPECT_FALSE(log.hole());
}

TEST(LogShape, SnapshotOfAnotherTermReplacesTheWholeLog) {
  auto log = log_of(1, 5, 1);
  log.mark_snapshot(raft::SnapshotMeta{3, 2, {}});
  EXPECT_TRUE(items(log).empty());
  EXPECT_EQ(log.last_index(), 3u);
}

TEST(LogShape, SnapshotBeyondTheLogReplacesIt) {
  auto log = log_of(1, 5, 1);
  log.mark_snapshot(raft::SnapshotMeta{9, 1, {}});
  EXPECT_TRUE(items(log).empty());
  EXPECT_EQ(log.last_index(), 9u);
  log.append({10, 2});
  EXPECT_FALSE(log.hole());
}

TEST(LogShape, EntriesMissingAfterTheSnapshotAreAHole) {
  LogShape<IndexTerm> log;
  log.mark_snapshot(raft::SnapshotMeta{3, 1, {}});
  log.append({6, 1});
  ASSERT_TRUE(log.hole());
  EXPECT_EQ(*log.hole(), "the log's entries start at index 6 but the snapshot point is index 3: "
                         "entries in between are missing");
}

TEST(LogShape, RunStartedAfterCompactionIsWholeOnceTheSnapshotCoversTheGap) {
  // The first remaining segment starts with an old snapshot mark copy, then later entries.
  LogShape<IndexTerm> log;
  log.mark_snapshot(raft::SnapshotMeta{0, 0, {}});
  for (raft::Index i = 101; i <= 103; ++i) log.append({i, 1});
  EXPECT_TRUE(log.hole());
  log.mark_snapshot(raft::SnapshotMeta{100, 1, {}});
  EXPECT_FALSE(log.hole());
  EXPECT_EQ(items(log).size(), 3u);
}

}  // namespace
}  // namespace taskraft::wal

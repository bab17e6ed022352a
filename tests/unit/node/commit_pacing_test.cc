// Commit pacing (node/commit_pacing.h): what somebody waits for is committed at once, what nobody
// waits for is gathered for at most max_delay or max_entries.
#include <gtest/gtest.h>

#include "node/commit_pacing.h"

namespace taskraft::node {
namespace {

constexpr auto kNow = Clock::time_point{} + std::chrono::hours(1);

CommitPacing::Open open(std::size_t entries, raft::Index last, Clock::time_point since = kNow) {
  return CommitPacing::Open{entries, last, since};
}

TEST(CommitPacing, EntriesNobodyWaitsForWaitUntilTheOldestHasWaitedMaxDelay) {
  CommitPacing pacing;
  EXPECT_EQ(pacing.commit_at(open(3, 12), 0), kNow + pacing.max_delay);
  EXPECT_EQ(pacing.commit_at(open(3, 12, kNow - std::chrono::seconds(1)), 0),
            kNow - std::chrono::seconds(1) + pacing.max_delay)
      << "already overdue: the caller commits at once";
}

TEST(CommitPacing, AWaiterAtOrBelowTheLastDecidedIndexCommitsAtOnce) {
  CommitPacing pacing;
  EXPECT_LE(pacing.commit_at(open(3, 12), 12), kNow);
  EXPECT_LE(pacing.commit_at(open(3, 12), 10), kNow);
  EXPECT_EQ(pacing.commit_at(open(3, 12), 13), kNow + pacing.max_delay)
      << "a waiter beyond what is decided gains nothing from committing early";
}

TEST(CommitPacing, AFullTransactionCommitsAtOnce) {
  CommitPacing pacing;
  EXPECT_LE(pacing.commit_at(open(pacing.max_entries, 900), 0), kNow);
}

}  // namespace
}  // namespace taskraft::node

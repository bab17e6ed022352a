// Apply pacing (node/apply_pacing.h): what somebody waits for goes at once, what nobody waits for
// is gathered for at most max_delay or max_entries.
#include <gtest/gtest.h>

#include "node/apply_pacing.h"

namespace taskraft::node {
namespace {

constexpr auto kNow = Clock::time_point{} + std::chrono::hours(1);

ApplyPacing::Queue queued(std::size_t entries, raft::Index last, Clock::time_point since = kNow) {
  return ApplyPacing::Queue{entries, last, since, false};
}

TEST(ApplyPacing, EntriesNobodyWaitsForWaitUntilTheOldestHasWaitedMaxDelay) {
  ApplyPacing pacing;
  EXPECT_EQ(pacing.apply_at(queued(3, 12), 0), kNow + pacing.max_delay);
  EXPECT_EQ(pacing.apply_at(queued(3, 12, kNow - std::chrono::seconds(1)), 0),
            kNow - std::chrono::seconds(1) + pacing.max_delay)
      << "already overdue: the caller applies at once";
}

TEST(ApplyPacing, AWaiterAtOrBelowTheLastQueuedIndexAppliesAtOnce) {
  ApplyPacing pacing;
  EXPECT_LE(pacing.apply_at(queued(3, 12), 12), kNow);
  EXPECT_LE(pacing.apply_at(queued(3, 12), 10), kNow);
  EXPECT_EQ(pacing.apply_at(queued(3, 12), 13), kNow + pacing.max_delay)
      << "a waiter beyond what is queued gains nothing from applying early";
}

TEST(ApplyPacing, AFullQueueOrASnapshotImportAppliesAtOnce) {
  ApplyPacing pacing;
  EXPECT_LE(pacing.apply_at(queued(pacing.max_entries, 900), 0), kNow);
  auto import = queued(0, 0);
  import.other_work = true;
  EXPECT_LE(pacing.apply_at(import, 0), kNow);
}

}  // namespace
}  // namespace taskraft::node

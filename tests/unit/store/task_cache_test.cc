// The task cache's rules (store/task_cache.h): what apply publishes replaces what was there,
// a fill never brings back an older state than apply published (the races of a get's MySQL
// read with an update, a delete or an eviction), the memory budget, and reset.
#include <gtest/gtest.h>

#include "store/task_cache.h"

namespace taskraft::store {
namespace {

CachedTask body(std::uint64_t version) { return {version, "{\"version\":" + std::to_string(version) + "}"}; }

std::optional<std::uint64_t> version_of(TaskCache& cache, TaskId id) {
  auto hit = cache.lookup(id);
  if (!hit) return std::nullopt;
  return hit->version;
}

TEST(TaskCache, AnswersWhatApplyPublishedAndForgetsWhatItDeleted) {
  TaskCache cache(1 << 20);
  EXPECT_FALSE(cache.lookup(7));
  cache.publish({{7, body(1)}, {8, body(1)}}, 10);
  EXPECT_EQ(cache.published(), 10u);
  EXPECT_EQ(version_of(cache, 7), 1u);
  EXPECT_EQ(cache.lookup(7)->body, "{\"version\":1}");
  cache.publish({{7, body(2)}, {8, std::nullopt}}, 11);
  EXPECT_EQ(version_of(cache, 7), 2u);
  EXPECT_FALSE(cache.lookup(8));
  auto stats = cache.stats();
  EXPECT_EQ(stats.hits, 3u);
  EXPECT_EQ(stats.misses, 2u);
  EXPECT_EQ(stats.entries, 1u);
}

TEST(TaskCache, TheLastChangeOfABatchWins) {
  TaskCache cache(1 << 20);
  cache.publish({{5, body(1)}, {5, body(2)}, {6, body(1)}, {6, std::nullopt}}, 4);
  EXPECT_EQ(version_of(cache, 5), 2u);
  EXPECT_FALSE(cache.lookup(6));
}

TEST(TaskCache, AFillOfAnAbsentTaskIsTaken) {
  TaskCache cache(1 << 20);
  cache.publish({}, 20);
  const auto before = cache.published();
  cache.fill(3, body(4), before);
  EXPECT_EQ(version_of(cache, 3), 4u);
}

TEST(TaskCache, AFillNeverReplacesWhatApplyPublished) {
  // The get read version 1 from MySQL; apply published version 2 before the fill arrived.
  TaskCache cache(1 << 20);
  const auto before = cache.published();
  cache.publish({{3, body(2)}}, 21);
  cache.fill(3, body(1), before);
  EXPECT_EQ(version_of(cache, 3), 2u);
}

TEST(TaskCache, AFillFromAReadThatRacedADeleteIsRefused) {
  // The task was never cached; the get read it from MySQL, then apply deleted it: the fill
  // would bring a deleted task back.
  TaskCache cache(1 << 20);
  cache.publish({}, 30);
  const auto before = cache.published();
  cache.publish({{3, std::nullopt}}, 31);
  cache.fill(3, body(1), before);
  EXPECT_FALSE(cache.lookup(3));
  // A read begun after the delete was published may fill (it saw the delete, or later).
  const auto after = cache.published();
  cache.fill(4, body(1), after);
  EXPECT_EQ(version_of(cache, 4), 1u);
}

TEST(TaskCache, AFillFromAReadThatRacedAnEvictionIsRefused) {
  // Apply published version 2 and the budget evicted it while the get's read of version 1
  // was under way: version 1 must not come back.
  const std::size_t one_entry = body(1).body.size() + 128;
  TaskCache cache(one_entry);
  cache.publish({{3, body(1)}}, 40);
  const auto before = cache.published();
  cache.publish({{3, body(2)}}, 41);
  cache.publish({{9, body(1)}}, 42);  // evicts 3
  EXPECT_FALSE(cache.lookup(3));
  cache.fill(3, body(1), before);
  EXPECT_FALSE(cache.lookup(3));
}

TEST(TaskCache, StaysWithinItsBudgetEvictingTheLeastRecentlyUsed) {
  const std::size_t one_entry = body(1).body.size() + 128;
  TaskCache cache(3 * one_entry);
  cache.publish({{1, body(1)}, {2, body(1)}, {3, body(1)}}, 1);
  ASSERT_TRUE(cache.lookup(1));  // 1 is now the most recently used; 2 the least
  cache.publish({{4, body(1)}}, 2);
  EXPECT_FALSE(cache.lookup(2));
  EXPECT_TRUE(cache.lookup(1));
  EXPECT_TRUE(cache.lookup(3));
  EXPECT_TRUE(cache.lookup(4));
  EXPECT_LE(cache.stats().bytes, 3 * one_entry);
  EXPECT_EQ(cache.stats().entries, 3u);
}

TEST(TaskCache, ABudgetOfZeroKeepsNothing) {
  TaskCache cache(0);
  cache.publish({{1, body(1)}}, 1);
  cache.fill(2, body(1), cache.published());
  EXPECT_FALSE(cache.lookup(1));
  EXPECT_FALSE(cache.lookup(2));
  EXPECT_EQ(cache.published(), 1u);
}

TEST(TaskCache, ResetForgetsEverythingAndRefusesFillsFromBeforeIt) {
  TaskCache cache(1 << 20);
  cache.publish({{1, body(1)}}, 5);
  const auto before = cache.published();
  cache.reset(100);  // a snapshot at 100 replaced the state
  EXPECT_FALSE(cache.lookup(1));
  EXPECT_EQ(cache.published(), 100u);
  cache.fill(2, body(1), before);
  EXPECT_FALSE(cache.lookup(2));
  cache.fill(2, body(3), cache.published());
  EXPECT_EQ(version_of(cache, 2), 3u);
}

}  // namespace
}  // namespace taskraft::store

// The task cache as apply keeps it on a real MariaDB: after any mix of creates, updates,
// deletes, conditional writes and idempotent retries, every cached body is exactly what a get
// from MySQL answers, and a deleted task is not cached; a batch that fails publishes nothing;
// importing a snapshot forgets everything.
#include <gtest/gtest.h>

#include <filesystem>

#include "mysql_fixture.h"
#include "store/error.h"
#include "store/store.h"
#include "store/task_json.h"
#include "store_fixture.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

using TaskCacheOnApply = StoreTest;

// Every id the log could have made: a cached body must be MySQL's rendering, byte for byte.
void expect_cache_matches_mysql(Store& store, TaskId last_id) {
  std::size_t cached = 0;
  for (TaskId id = 1; id <= last_id; ++id) {
    auto hit = store.task_cache().lookup(id);
    auto row = store.get_task(id);
    if (!hit) continue;
    ++cached;
    ASSERT_TRUE(row) << "task " << id << " is cached but MySQL has none";
    EXPECT_EQ(hit->body, task_body(*row)) << "task " << id;
    EXPECT_EQ(hit->version, row->version) << "task " << id;
  }
  EXPECT_GT(cached, 0u);
}

TEST_F(TaskCacheOnApply, EveryCachedBodyIsWhatMySqlAnswersAfterAMixedLog) {
  Log log = mixed_log(600, 7);
  for (raft::Index i = 1; i <= log.last(); i += 13) {
    store_.apply(log.range(i, std::min<raft::Index>(log.last(), i + 12)), log.confs());
  }
  expect_cache_matches_mysql(store_, 700);
  EXPECT_EQ(store_.task_cache().published(), log.last());
}

TEST_F(TaskCacheOnApply, AnUpdateReplacesTheBodyAndADeleteRemovesIt) {
  run(create_task("one"));
  run(create_task("two"));
  pb::Command u = update_task(1);
  u.mutable_update_task()->set_title("one, renamed");
  run(u);
  run(delete_task(2));
  auto one = store_.task_cache().lookup(1);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->version, 2u);
  EXPECT_EQ(one->body, task_body(*store_.get_task(1)));
  EXPECT_FALSE(store_.task_cache().lookup(2));
}

TEST_F(TaskCacheOnApply, AFailedBatchPublishesNothingAndForgetsWhatWasCached) {
  run(create_task("cached before"));
  ASSERT_TRUE(store_.task_cache().lookup(1));
  log_.add(create_task("applied later"));
  pb::Command future = create_task("from a newer leader");
  future.set_version(static_cast<pb::FormatVersion>(2));
  log_.add(future);
  EXPECT_THROW(store_.apply(log_.range(2, 3)), UnsupportedCommand);
  EXPECT_FALSE(store_.task_cache().lookup(1)) << "a failed batch may have committed: nothing cached is trusted";
  EXPECT_FALSE(store_.task_cache().lookup(2));
  EXPECT_EQ(store_.task_cache().published(), 1u);
}

TEST_F(TaskCacheOnApply, ImportingASnapshotForgetsEverything) {
  Dsn other = fresh_database("other");
  Store source(other);
  Log log;
  log.add(create_task("from the snapshot"));
  source.apply(log.entries());
  const auto file = std::filesystem::temp_directory_path() / ("taskraft-cache-snap-" + std::to_string(::getpid()));
  source.export_snapshot(file);

  run(create_task("here before the snapshot"));
  ASSERT_TRUE(store_.task_cache().lookup(1));
  store_.import_snapshot(file);
  std::filesystem::remove(file);
  EXPECT_FALSE(store_.task_cache().lookup(1));
  EXPECT_EQ(store_.task_cache().published(), 1u);
  EXPECT_EQ(store_.get_task(1)->title, "from the snapshot");
}

}  // namespace
}  // namespace taskraft::store::testing

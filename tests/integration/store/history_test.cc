// Task history: one entry per change, with version, Raft index and term, log time, actor,
// operation and the changed fields, kept after the task is deleted.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mysql_fixture.h"
#include "store/store.h"
#include "store/task_json.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

TEST(History, RecordsEveryChangeWithItsLogPosition) {
  Dsn dsn = fresh_database();
  Store store(dsn);
  Log log;
  pb::Command c = create_task("Write docs", kT0, "alice");
  c.mutable_create_task()->add_tags("docs");
  log.add(c);
  log.set_term(2);
  pb::Command u = update_task(1, kT0 + 1000, "bob");
  u.mutable_update_task()->set_status(pb::TASK_STATUS_DONE);
  u.mutable_update_task()->set_title("Write docs");  // unchanged: not listed
  log.add(u);
  log.noop();
  log.add(delete_task(1, kT0 + 2000, "carol"));
  store.apply(log.entries());

  auto history = store.task_history(1);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0], (HistoryItem{1, 1, 1, kT0, "alice", "create",
                                        R"({"title":{"from":null,"to":"Write docs"},)"
                                        R"("description":{"from":null,"to":""},"status":{"from":null,"to":"todo"},)"
                                        R"("priority":{"from":null,"to":"medium"},"tags":{"from":null,"to":["docs"]}})"}));
  EXPECT_EQ((*history)[1],
            (HistoryItem{2, 2, 2, kT0 + 1000, "bob", "update", R"({"status":{"from":"todo","to":"done"}})"}));
  EXPECT_EQ((*history)[2], (HistoryItem{3, 4, 2, kT0 + 2000, "carol", "delete", "{}"}));

  EXPECT_EQ(history_body({(*history)[1]}),
            R"({"items":[{"version":2,"raft_index":2,"raft_term":2,"at":"2026-11-18T11:06:41.000Z",)"
            R"("actor":"bob","op":"update","changes":{"status":{"from":"todo","to":"done"}}}]})");
}

TEST(History, OfATaskThatNeverExistedIsNone) {
  Dsn dsn = fresh_database();
  Store store(dsn);
  EXPECT_FALSE(store.task_history(1));
}

}  // namespace
}  // namespace taskraft::store::testing

// Exactly-once: a retried request with the same Idempotency-Key and body gets the first answer
// and changes nothing; the same key with another body is 422; keys are per actor; records expire
// after 24 hours of log time, identically on every node.
#include <gtest/gtest.h>

#include "mysql_fixture.h"
#include "store_fixture.h"
#include "store/idempotency.h"
#include "store/store.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

using Idempotency = StoreTest;

TEST_F(Idempotency, ARetryReturnsTheFirstAnswerAndChangesNothing) {
  pb::Command c = create_task("once");
  with_key(c, "key-1", "POST /v1/tasks {once}");
  Outcome first = run(c);
  EXPECT_EQ(first.http_status, 201);
  std::uint64_t after_first = state_checksum(dsn_);

  pb::Command retry = c;
  retry.set_at_ms(kT0 + 1000);  // the retry reaches a leader a second later
  Outcome second = run(retry);
  EXPECT_EQ(second, first);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 1);
  EXPECT_EQ(query_number(dsn_, "SELECT next_task_id FROM meta"), 2);
  EXPECT_EQ(store_.applied().index, 2u);
  exec_sql(dsn_, "UPDATE meta SET applied_index = 1, log_clock_ms = " + std::to_string(kT0) + " WHERE id = 1");
  EXPECT_EQ(state_checksum(dsn_), after_first);
}

TEST_F(Idempotency, TheSameKeyWithAnotherBodyIs422) {
  pb::Command c = create_task("first body");
  run(with_key(c, "key-1", "hash-a"));
  pb::Command other = create_task("second body");
  Outcome o = run(with_key(other, "key-1", "hash-b"));
  EXPECT_EQ(o.http_status, 422);
  EXPECT_EQ(json(o).at("type"), "urn:taskraft:problem:idempotency-key-reused");
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 1);
}

TEST_F(Idempotency, ErrorOutcomesAreRecordedToo) {
  pb::Command u = update_task(1);
  u.mutable_update_task()->set_title("x");
  EXPECT_EQ(run(with_key(u, "k", "h")).http_status, 404);
  run(create_task("now task 1 exists"));
  EXPECT_EQ(run(u).http_status, 404);  // the retry answers what the request answered
}

TEST_F(Idempotency, KeysArePerActor) {
  pb::Command alice = create_task("alice's", kT0, "alice");
  pb::Command bob = create_task("bob's", kT0, "bob");
  EXPECT_EQ(run(with_key(alice, "same-key", "h1")).http_status, 201);
  EXPECT_EQ(run(with_key(bob, "same-key", "h2")).http_status, 201);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 2);
}

TEST_F(Idempotency, RecordsExpireAfterADayOfLogTime) {
  pb::Command c = create_task("daily");
  with_key(c, "k", "h");
  run(c);
  pb::Command within = c;
  within.set_at_ms(kT0 + kIdempotencyTtlMs - 1);
  EXPECT_EQ(json(run(within)).at("id"), 1);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM idempotency"), 1);

  pb::Command after = c;
  after.set_at_ms(kT0 + kIdempotencyTtlMs);
  Outcome o = run(after);
  EXPECT_EQ(o.http_status, 201);
  EXPECT_EQ(json(o).at("id"), 2);  // expired: a new request
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM idempotency"), 1);
  EXPECT_EQ(query_number(dsn_, "SELECT raft_index FROM idempotency"), 3);
}

TEST_F(Idempotency, ExpiredRecordsArePurgedAsTheLogClockAdvances) {
  for (int i = 0; i < 3; ++i) {
    pb::Command c = create_task("t" + std::to_string(i), kT0 + i);
    run(with_key(c, "k" + std::to_string(i), "h"));
  }
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM idempotency"), 3);
  run(create_task("a day later", kT0 + kIdempotencyTtlMs + 60000));
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM idempotency"), 0);
}

TEST_F(Idempotency, AnInvalidKeyIs422) {
  pb::Command c = create_task("x");
  Outcome o = run(with_key(c, std::string(65, 'k'), "h"));
  EXPECT_EQ(o.http_status, 422);
  EXPECT_EQ(json(o).at("errors").at(0).at("field"), "Idempotency-Key");
}

}  // namespace
}  // namespace taskraft::store::testing

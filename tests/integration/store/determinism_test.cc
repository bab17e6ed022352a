// Determinism and crash safety of apply: the same log gives the same rows and outcomes on every
// database however it is cut into batches; a batch is all-or-nothing even when MySQL loses the
// connection in its middle; re-applying from any earlier index changes nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <random>
#include <thread>

#include "mysql_fixture.h"
#include "store/connection.h"
#include "store/error.h"
#include "store/store.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

constexpr std::size_t kEntries = 300;

// Applies entries [from, to] of `log` in batches of `batch` entries; returns every outcome.
std::vector<Outcome> apply_range(Store& s, const Log& log, raft::Index from, raft::Index to, std::size_t batch) {
  std::vector<Outcome> all;
  for (raft::Index i = from; i <= to; i += batch) {
    auto out = s.apply(log.range(i, std::min<raft::Index>(to, i + batch - 1)), log.confs());
    all.insert(all.end(), out.begin(), out.end());
  }
  return all;
}

TEST(Determinism, TheSameLogGivesTheSameRowsAndOutcomesWhateverTheBatches) {
  Log log = mixed_log(kEntries, 7);
  Dsn a = fresh_database("a"), b = fresh_database("b");
  Store sa(a), sb(b);
  std::vector<Outcome> oa = apply_range(sa, log, 1, kEntries, 1);

  std::mt19937 rng(11);
  std::vector<Outcome> ob;
  for (raft::Index i = 1; i <= kEntries;) {
    raft::Index end = std::min<raft::Index>(kEntries, i + rng() % 40);
    auto out = sb.apply(log.range(i, end), log.confs());
    ob.insert(ob.end(), out.begin(), out.end());
    i = end + 1;
  }
  EXPECT_EQ(oa, ob);
  EXPECT_EQ(state_checksum(a), state_checksum(b));
  EXPECT_EQ(dump_state(a), dump_state(b));
  EXPECT_EQ(sa.applied(), sb.applied());
  EXPECT_EQ(sa.applied().index, kEntries);

  // The workload exercised what it claims to.
  std::map<int, int> statuses;
  for (const Outcome& o : oa) ++statuses[o.http_status];
  for (int status : {0, 200, 201, 204, 400, 404, 409, 412, 422}) EXPECT_GT(statuses[status], 0) << status;
}

TEST(Determinism, ReapplyingFromAnyEarlierIndexChangesNothing) {
  Log log = mixed_log(120, 3);
  Dsn dsn = fresh_database();
  Store store(dsn);
  apply_range(store, log, 1, 120, 7);
  const std::uint64_t expected = state_checksum(dsn);
  for (raft::Index from : {1, 2, 30, 59, 60, 119, 120}) {
    for (const Outcome& o : apply_range(store, log, from, 120, 13)) EXPECT_EQ(o, Outcome{}) << from;
    EXPECT_EQ(state_checksum(dsn), expected) << "re-applied from " << from;
  }
  EXPECT_EQ(store.applied().index, 120u);
}

TEST(Determinism, ResumingAfterARestartFromAnEarlierIndexGivesTheSameState) {
  Log log = mixed_log(200, 5);
  Dsn reference = fresh_database("ref"), crashed = fresh_database("crash");
  {
    Store ref(reference);
    apply_range(ref, log, 1, 200, 200);
  }
  {
    Store before_crash(crashed);
    apply_range(before_crash, log, 1, 90, 9);
  }
  Store after_restart(crashed);
  ASSERT_EQ(after_restart.applied().index, 90u);
  apply_range(after_restart, log, 70, 200, 11);  // the node re-delivers more than needed
  EXPECT_EQ(dump_state(crashed), dump_state(reference));
}

// A connection lost in the middle of a batch (here killed while an UPDATE of the batch waits for
// a row lock) leaves nothing of the batch: the state is exactly the one before it, and applying
// the batch again gives exactly the state of an uninterrupted run.
TEST(Determinism, ABatchCutOffMidwayLeavesNothingAndCanBeAppliedAgain) {
  Log log;
  for (int i = 0; i < 5; ++i) log.add(create_task("task " + std::to_string(i)));
  log.add(create_task("six"));
  log.add(create_user("erin", pb::USER_ROLE_MEMBER));
  pb::Command u = update_task(1, kT0 + 100);
  u.mutable_update_task()->set_title("renamed");
  log.add(u);
  log.add(create_task("nine"));

  Dsn at5 = fresh_database("at5"), full = fresh_database("full"), dsn = fresh_database("victim");
  {
    Store s5(at5), sf(full);
    s5.apply(log.range(1, 5));
    sf.apply(log.entries());
  }
  Store store(dsn);
  store.apply(log.range(1, 5));

  Connection locker(dsn);
  locker.exec("START TRANSACTION");
  locker.query("SELECT id FROM tasks WHERE id = 1 FOR UPDATE");
  auto applying = std::async(std::launch::async, [&] { return store.apply(log.range(6, 9)); });

  Connection admin(dsn);
  std::int64_t victim = 0;
  for (int i = 0; i < 500 && !victim; ++i) {
    // Only this test's database: under ctest -j2 another test's session may run the same UPDATE.
    auto r = admin.query("SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND "
                         "info LIKE 'UPDATE tasks SET%'");
    if (auto row = r.next()) victim = row->i64(0);
    if (!victim) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(victim, 0) << "the batch never reached its UPDATE";
  admin.exec("KILL CONNECTION " + std::to_string(victim));
  EXPECT_THROW(applying.get(), DbError);
  locker.exec("ROLLBACK");

  EXPECT_EQ(dump_state(dsn), dump_state(at5));
  EXPECT_EQ(store.applied().index, 5u);
  store.apply(log.range(3, 9));  // the node retries, from further back than needed
  EXPECT_EQ(dump_state(dsn), dump_state(full));
}

}  // namespace
}  // namespace taskraft::store::testing

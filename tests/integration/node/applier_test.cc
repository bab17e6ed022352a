// The apply thread (node/applier.h) on a real MariaDB: a write is answered once its entry is
// decided, without waiting for MySQL's commit, and the next entries are decided while that
// commit is on its way; a read waits for the commit; the open transaction is committed by pacing
// when nobody waits; a commit that fails on its way is decided again with nothing lost or
// doubled; stop() commits everything queued before it.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "meta_row_hold.h"
#include "mysql_fixture.h"
#include "node/applier.h"
#include "node/apply_waiters.h"
#include "store/store.h"
#include "test_log.h"

namespace taskraft::node {
namespace {

using namespace std::chrono_literals;
using store::testing::create_task;
using store::testing::json;
using store::testing::MetaRowHold;
using store::testing::query_number;

// Long enough never to pass in a test that works: a waiter's deadline, and how long a test waits
// for something that must happen.
constexpr auto kLong = 30s;

template <typename T>
bool ready(std::future<T>& f, std::chrono::milliseconds within = kLong) {
  return f.wait_for(within) == std::future_status::ready;
}

// Whether `holds` becomes true within kLong (checked every 5 ms).
bool eventually(const std::function<bool()>& holds) {
  const auto until = Clock::now() + kLong;
  while (!holds() && Clock::now() < until) std::this_thread::sleep_for(5ms);
  return holds();
}

class ApplierTest : public ::testing::Test {
 protected:
  ApplierTest() : dsn_(store::testing::fresh_database()), applier_(std::make_unique<store::Store>(dsn_), waiters_) {
    applier_.start();
  }

  // Appends a create to the log and hands it to the apply thread; the future is its writer's.
  std::future<WriteResult> create(const std::string& title) {
    const raft::Entry& e = log_.add(create_task(title));
    auto answer = std::make_shared<std::promise<WriteResult>>();
    auto future = answer->get_future();
    waiters_.add_proposal(e.index, e.term, Clock::now() + kLong,
                          [answer](WriteResult r) { answer->set_value(std::move(r)); });
    applier_.enqueue({e}, {});
    return future;
  }

  std::future<ReadResult> read_at(raft::Index index) {
    auto answer = std::make_shared<std::promise<ReadResult>>();
    auto future = answer->get_future();
    waiters_.add_read(index, Clock::now() + kLong, [answer](ReadResult r) { answer->set_value(r); });
    return future;
  }

  std::int64_t tasks_in_mysql() { return query_number(dsn_, "SELECT COUNT(*) FROM tasks"); }

  store::Dsn dsn_;
  store::testing::Log log_;
  ApplyWaiters waiters_;
  Applier applier_;
};

TEST_F(ApplierTest, WritesAreAnsweredWhileMySQLHoldsTheCommitBackAndReadsWaitForIt) {
  auto first = create("first");
  auto read_first = read_at(1);
  ASSERT_TRUE(ready(read_first));
  EXPECT_EQ(first.get().outcome.http_status, 201);

  MetaRowHold hold(dsn_);
  auto second = create("second");
  ASSERT_TRUE(ready(second)) << "answered when decided";
  EXPECT_EQ(json(second.get().outcome).at("id"), 2);
  auto read_second = read_at(2);
  hold.waiting_session();  // the commit of the second is on its way, and MySQL holds it back

  auto third = create("third");
  ASSERT_TRUE(ready(third)) << "decided in the next transaction while the commit is on its way";
  EXPECT_EQ(json(third.get().outcome).at("id"), 3);
  EXPECT_FALSE(ready(read_second, 200ms)) << "a read waits for MySQL's commit";
  EXPECT_EQ(applier_.applied(), 1u);
  EXPECT_EQ(tasks_in_mysql(), 1);

  hold.release();
  ASSERT_TRUE(ready(read_second));
  EXPECT_GE(read_second.get().applied_index, 2u);
  auto read_third = read_at(3);
  ASSERT_TRUE(ready(read_third));
  EXPECT_EQ(tasks_in_mysql(), 3);
}

TEST_F(ApplierTest, WithNobodyWaitingPacingCommitsTheOpenTransaction) {
  for (int i = 1; i <= 3; ++i) log_.add(create_task("task " + std::to_string(i)));
  applier_.enqueue(log_.entries(), {});
  EXPECT_TRUE(eventually([&] { return applier_.applied() == 3; }));
  EXPECT_EQ(query_number(dsn_, "SELECT applied_index FROM meta"), 3);
}

TEST_F(ApplierTest, ACommitThatFailsOnItsWayIsDecidedAgainWithNothingLostOrDoubled) {
  auto first = create("first");
  auto read_first = read_at(1);
  ASSERT_TRUE(ready(read_first));

  MetaRowHold hold(dsn_);
  auto second = create("second");
  const std::string session = hold.waiting_session();
  auto third = create("third");
  ASSERT_TRUE(ready(second));
  ASSERT_TRUE(ready(third));
  const auto answered = json(third.get().outcome);
  auto read_third = read_at(3);
  // The store's session dies while MySQL holds its COMMIT back: the second's transaction and the
  // third's, decided after it, are both rolled back.
  hold.connection().exec("KILL CONNECTION " + session);
  hold.release();

  ASSERT_TRUE(ready(read_third)) << "decided again and committed once MySQL answers";
  EXPECT_TRUE(eventually([&] { return applier_.store_up(); }));
  EXPECT_EQ(tasks_in_mysql(), 3);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks WHERE title IN ('second', 'third')"), 2);
  EXPECT_EQ(query_number(dsn_, "SELECT id FROM tasks WHERE title = 'third'"), answered.at("id").as_int64())
      << "the id the writer was given";
  EXPECT_EQ(query_number(dsn_, "SELECT applied_index FROM meta"), 3);
}

TEST_F(ApplierTest, StopCommitsEverythingQueuedBeforeIt) {
  for (int i = 1; i <= 5; ++i) log_.add(create_task("task " + std::to_string(i)));
  applier_.enqueue(std::vector(log_.entries().begin(), log_.entries().begin() + 2), {});
  applier_.enqueue(std::vector(log_.entries().begin() + 2, log_.entries().end()), {});
  applier_.stop();
  EXPECT_EQ(tasks_in_mysql(), 5);
  EXPECT_EQ(query_number(dsn_, "SELECT applied_index FROM meta"), 5);
}

}  // namespace
}  // namespace taskraft::node

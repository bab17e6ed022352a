// The apply waiters (node/apply_waiters.h): each waiter completes exactly once, with its entry's
// outcome or the read's applied index; first_waited() and the on_wait hook tell commit pacing who
// waits; the observe_decided hook times each write that took effect.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "node/apply_waiters.h"

namespace taskraft::node {
namespace {

const Deadline kLater = Clock::now() + std::chrono::hours(1);

TEST(ApplyWaiters, FirstWaitedIsTheLowestIndexOfAnyProposalOrRead) {
  ApplyWaiters w;
  EXPECT_EQ(w.first_waited(), 0u);
  w.add_proposal(7, 1, kLater, [](WriteResult) {});
  w.add_read(5, kLater, [](ReadResult) {});
  EXPECT_EQ(w.first_waited(), 5u);
  w.on_applied(5);
  EXPECT_EQ(w.first_waited(), 7u);
  w.on_decided({{7, 1, {}}});
  EXPECT_EQ(w.first_waited(), 0u);
}

TEST(ApplyWaiters, TheHookHearsOfEveryWaitButNotOfAReadAlreadySatisfied) {
  ApplyWaiters w;
  std::vector<raft::Index> heard;
  w.on_wait([&](raft::Index i) { heard.push_back(i); });
  w.on_applied(4);
  int answered = 0;
  w.add_read(3, kLater, [&](ReadResult r) {
    ++answered;
    EXPECT_EQ(r.applied_index, 4u);
  });
  EXPECT_EQ(answered, 1) << "a read at or below the applied index is answered at once";
  w.add_read(9, kLater, [&](ReadResult) { ++answered; });
  w.add_proposal(6, 2, kLater, [](WriteResult) {});
  EXPECT_EQ(heard, (std::vector<raft::Index>{9, 6}));
  w.on_decided({{5, 2, {}}, {6, 2, {}}});
  w.on_applied(9);
  EXPECT_EQ(answered, 2);
}

TEST(ApplyWaiters, AProposalCompletesWhenDecidedOnceAndReadsWaitForTheCommit) {
  ApplyWaiters w;
  std::vector<int> statuses;
  int reads = 0;
  w.add_proposal(3, 1, kLater, [&](WriteResult r) { statuses.push_back(r.outcome.http_status); });
  w.add_read(3, kLater, [&](ReadResult) { ++reads; });
  w.on_decided({{3, 1, {201, "{}", "application/json"}}});
  EXPECT_EQ(statuses, (std::vector<int>{201}));
  EXPECT_EQ(reads, 0) << "the batch is not committed yet";
  EXPECT_EQ(w.first_waited(), 3u);
  w.on_applied(3);
  EXPECT_EQ(statuses.size(), 1u) << "completed once";
  EXPECT_EQ(reads, 1);
}

TEST(ApplyWaiters, EachWriteThatTookEffectIsTimedFromItsProposalToItsOutcome) {
  ApplyWaiters w;
  std::vector<double> took;
  w.observe_decided([&](double seconds) { took.push_back(seconds); });
  const auto start = Clock::now();
  w.add_proposal(1, 1, kLater, [](WriteResult) {});
  w.add_proposal(2, 1, kLater, [](WriteResult) {});
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  w.on_decided({{1, 1, {}}, {2, 2, {}}, {3, 1, {}}});  // 2 was overwritten; nobody proposed 3 here
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_EQ(took.size(), 1u);
  EXPECT_GE(took[0], 0.02);
  EXPECT_LE(took[0], elapsed);
}

TEST(ApplyWaiters, AProposalOverwrittenByAnotherTermFailsAsNotLeader) {
  ApplyWaiters w;
  std::vector<Error> results;
  w.add_proposal(3, 1, kLater, [&](WriteResult r) { results.push_back(r.error); });
  w.on_decided({{3, 2, {}}});
  EXPECT_EQ(results, (std::vector<Error>{Error::kNotLeader}));
}

TEST(ApplyWaiters, TwoProposalsAtOneIndexInDifferentTermsAreBothAnsweredByTheDecidedTerm) {
  // A follower relayed a write to the leader of term 5, which gave it index 100 and failed before
  // replicating it; the leader of term 6 gave the next relayed write index 100 too.
  ApplyWaiters w;
  std::vector<std::pair<char, WriteResult>> results;
  w.add_proposal(100, 5, kLater, [&](WriteResult r) { results.emplace_back('a', r); });
  w.add_proposal(100, 6, kLater, [&](WriteResult r) { results.emplace_back('b', r); });
  const store::Outcome created = store::json_outcome(201, R"({"id":7})");
  w.on_decided({{100, 6, created}});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].first, 'a');
  EXPECT_EQ(results[0].second.error, Error::kNotLeader) << "term 5's entry never took effect";
  EXPECT_EQ(results[1].first, 'b');
  EXPECT_EQ(results[1].second.error, Error::kOk);
  EXPECT_EQ(results[1].second.outcome, created);
  EXPECT_EQ(w.first_waited(), 0u);
}

TEST(ApplyWaiters, AProposalASnapshotPassedOverEndsAsATimeoutItsFateUnknown) {
  ApplyWaiters w;
  std::vector<Error> results;
  w.add_proposal(4, 1, kLater, [&](WriteResult r) { results.push_back(r.error); });
  w.add_proposal(9, 1, kLater, [&](WriteResult r) { results.push_back(r.error); });
  w.on_applied(6);  // a snapshot up to 6 was installed: entry 4 was never decided here
  EXPECT_EQ(results, (std::vector<Error>{Error::kTimeout}));
  EXPECT_EQ(w.first_waited(), 9u);
}

}  // namespace
}  // namespace taskraft::node

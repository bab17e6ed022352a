// The proposal relay (node/proposal_relay.h): each of a follower's commands goes to the leader in
// a kProp of its own, the leader's answers hand them to the apply waiters, and every command ends
// exactly once: with its outcome, refused, or timed out when nobody answers.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "node/apply_waiters.h"
#include "node/proposal_relay.h"

namespace taskraft::node {
namespace {

const Deadline kLater = Clock::now() + std::chrono::hours(1);

struct Results {
  std::vector<WriteResult> got;
  std::function<void(WriteResult)> add() {
    return [this](WriteResult r) { got.push_back(std::move(r)); };
  }
};

// A leader's core as place() sees it: proposals get consecutive indexes from `next` in `term`.
struct FakeLeader {
  raft::Index next = 10;
  raft::Term term = 5;
  std::vector<std::string> proposed;
  raft::ProposeResult operator()(std::string data) {
    proposed.push_back(std::move(data));
    return {raft::Error::kOk, next++, term};
  }
};

store::Outcome created(int id) { return store::json_outcome(201, "{\"id\":" + std::to_string(id) + "}"); }

// Node 2, a follower, relaying to node 1.
class ProposalRelayTest : public ::testing::Test {
 protected:
  ApplyWaiters waiters;
  ProposalRelay relay{2, waiters};
  Results results;
};

TEST_F(ProposalRelayTest, EachCommandGoesOutInAKPropOfItsOwnAndItsOutcomeComesThroughTheWaiters) {
  std::vector<raft::Message> props;
  props.push_back(relay.relay(1, 5, "first", kLater, results.add()));
  props.push_back(relay.relay(1, 5, "second", kLater, results.add()));
  for (const raft::Message& prop : props) {
    EXPECT_EQ(prop.type, raft::MessageType::kProp);
    EXPECT_EQ(prop.from, 2u);
    EXPECT_EQ(prop.to, 1u);
    EXPECT_EQ(prop.term, 5u);
    ASSERT_EQ(prop.entries.size(), 1u);
  }
  EXPECT_NE(props[0].entries[0].index, props[1].entries[0].index) << "each has its own request number";
  EXPECT_EQ(relay.unanswered(), 2u);

  // A leader places the commands of one kProp in order, whatever it carries: merged here.
  raft::Message both = props[0];
  both.entries.push_back(props[1].entries[0]);
  FakeLeader leader;
  auto answers = ProposalRelay::place(both, 1, 5, std::ref(leader));
  EXPECT_EQ(leader.proposed, (std::vector<std::string>{"first", "second"}));
  ASSERT_EQ(answers.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(answers[i].type, raft::MessageType::kPropResp);
    EXPECT_EQ(answers[i].from, 1u);
    EXPECT_EQ(answers[i].to, 2u);
    EXPECT_FALSE(answers[i].reject);
    EXPECT_EQ(answers[i].reject_hint, props[i].entries[0].index);
    EXPECT_EQ(answers[i].index, 10 + i);
    EXPECT_EQ(answers[i].log_term, 5u);
    relay.answered(answers[i]);
  }
  EXPECT_EQ(relay.unanswered(), 0u);
  EXPECT_TRUE(results.got.empty()) << "answered by the leader, not decided yet";
  EXPECT_EQ(waiters.first_waited(), 10u);

  waiters.on_decided({{10, 5, created(1)}, {11, 5, created(2)}});
  ASSERT_EQ(results.got.size(), 2u);
  EXPECT_EQ(results.got[0].error, Error::kOk);
  EXPECT_EQ(results.got[0].outcome, created(1));
  EXPECT_EQ(results.got[1].index, 11u);
}

TEST_F(ProposalRelayTest, ALeaderThatCannotProposeRefusesAndTheCommandNeverTookEffect) {
  raft::Message refused = relay.relay(1, 6, "refused", kLater, results.add());
  raft::Message later = relay.relay(1, 6, "from a later term", kLater, results.add());
  EXPECT_EQ(later.term, 6u) << "the term the follower knows when it sends";

  int calls = 0;
  auto not_leader = [&](std::string) {
    ++calls;
    return raft::ProposeResult{raft::Error::kNotLeader};
  };
  for (const auto& a : ProposalRelay::place(refused, 1, 6, not_leader)) {
    EXPECT_TRUE(a.reject);
    relay.answered(a);
  }
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(results.got.size(), 1u);
  EXPECT_EQ(results.got[0].error, Error::kNoLeader);

  FakeLeader stale;  // leads in term 5; the sender is in term 6, so a newer leader exists
  for (const auto& a : ProposalRelay::place(later, 1, 5, std::ref(stale))) {
    EXPECT_TRUE(a.reject);
    relay.answered(a);
  }
  EXPECT_TRUE(stale.proposed.empty());
  ASSERT_EQ(results.got.size(), 2u);
  EXPECT_EQ(results.got[1].error, Error::kNoLeader);
}

TEST_F(ProposalRelayTest, UnansweredCommandsTimeOutAtTheirDeadlineOrWhenTheLeaderChanges) {
  Results soon, later;
  const auto now = Clock::now();
  raft::Message both = relay.relay(1, 5, "soon", now + std::chrono::seconds(1), soon.add());
  both.entries.push_back(relay.relay(1, 5, "later", kLater, later.add()).entries[0]);
  FakeLeader leader;
  auto answers = ProposalRelay::place(both, 1, 5, std::ref(leader));

  relay.expire(now + std::chrono::seconds(2), 1);
  ASSERT_EQ(soon.got.size(), 1u);
  EXPECT_EQ(soon.got[0].error, Error::kTimeout);
  EXPECT_TRUE(later.got.empty());
  relay.answered(answers[0]);  // too late: it matches nothing
  EXPECT_EQ(soon.got.size(), 1u);
  EXPECT_EQ(waiters.first_waited(), 0u);

  relay.leader_changed();
  ASSERT_EQ(later.got.size(), 1u);
  EXPECT_EQ(later.got[0].error, Error::kTimeout) << "the old leader may have proposed it: unknown";
  relay.answered(answers[1]);
  EXPECT_EQ(later.got.size(), 1u);
  EXPECT_EQ(relay.unanswered(), 0u);
}

TEST_F(ProposalRelayTest, ACommandRelayedToALeaderThisNodeNoLongerFollowsEndsAtTheNextExpiry) {
  // An HTTP thread read the route just before the raft thread learned of node 3's leadership
  // and ended what node 1 had not answered: its command goes to node 1 all the same.
  relay.leader_changed();
  Results stale, current;
  relay.relay(1, 5, "stale route", kLater, stale.add());
  relay.relay(3, 6, "new route", kLater, current.add());
  relay.expire(Clock::now(), 3);
  ASSERT_EQ(stale.got.size(), 1u);
  EXPECT_EQ(stale.got[0].error, Error::kTimeout) << "node 1 may have proposed it: unknown";
  EXPECT_TRUE(current.got.empty());
  EXPECT_EQ(relay.unanswered(), 1u);
}

TEST_F(ProposalRelayTest, AnAnswerFromAnotherNodeMatchesNothingAndShutdownEndsEverything) {
  raft::Message prop = relay.relay(1, 5, "command", kLater, results.add());
  FakeLeader impostor;
  auto answers = ProposalRelay::place(prop, 3, 5, std::ref(impostor));  // node 3, not the leader it went to
  relay.answered(answers[0]);
  EXPECT_EQ(relay.unanswered(), 1u);
  EXPECT_EQ(waiters.first_waited(), 0u);

  relay.relay(1, 5, "another", kLater, results.add());
  relay.fail_all(Error::kStopping);
  ASSERT_EQ(results.got.size(), 2u);
  EXPECT_EQ(results.got[0].error, Error::kStopping);
  EXPECT_EQ(results.got[1].error, Error::kStopping);
  EXPECT_EQ(relay.unanswered(), 0u);
}

TEST_F(ProposalRelayTest, AnIndexTheNextLeaderGivesAgainAnswersBothCommandsByItsEntrysTerm) {
  // Leader 1 (term 5) places the first command at index 10 and fails before replicating it;
  // leader 3 (term 6) starts from the same log and places the second at index 10 as well.
  raft::Message first = relay.relay(1, 5, "first", kLater, results.add());
  FakeLeader old_leader;
  for (auto& a : ProposalRelay::place(first, 1, 5, std::ref(old_leader))) relay.answered(a);
  relay.leader_changed();
  raft::Message second = relay.relay(3, 6, "second", kLater, results.add());
  FakeLeader new_leader;
  new_leader.term = 6;
  for (auto& a : ProposalRelay::place(second, 3, 6, std::ref(new_leader))) relay.answered(a);
  EXPECT_TRUE(results.got.empty()) << "both wait for index 10";

  waiters.on_decided({{10, 6, created(1)}});
  ASSERT_EQ(results.got.size(), 2u);
  EXPECT_EQ(results.got[0].error, Error::kNotLeader) << "the first never took effect: safe to retry";
  EXPECT_EQ(results.got[1].error, Error::kOk);
  EXPECT_EQ(results.got[1].outcome, created(1));
}

TEST_F(ProposalRelayTest, HttpThreadsRelayWhileTheRaftThreadAnswersAndEachCommandEndsOnce) {
  constexpr int kThreads = 4, kEach = 500;
  std::atomic<int> ended{0};
  std::vector<std::vector<raft::Message>> sent(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        sent[t].push_back(relay.relay(1, 5, "command", kLater, [&](WriteResult) { ++ended; }));
      }
    });
  }
  FakeLeader leader;
  for (int round = 0; round < 50; ++round) relay.expire(Clock::now(), 1);  // meanwhile, on the "raft thread"
  for (auto& t : threads) t.join();

  std::set<std::uint64_t> requests;
  for (auto& of_thread : sent) {
    for (auto& prop : of_thread) requests.insert(prop.entries[0].index);
  }
  EXPECT_EQ(requests.size(), std::size_t{kThreads * kEach}) << "no request number given twice";
  EXPECT_EQ(ended.load(), 0) << "nothing expired before its deadline";
  for (auto& a : ProposalRelay::place(sent[0][0], 1, 5, std::ref(leader))) relay.answered(a);
  EXPECT_EQ(relay.unanswered(), std::size_t{kThreads * kEach - 1});
  relay.fail_all(Error::kStopping);
  EXPECT_EQ(ended.load(), kThreads * kEach - 1) << "the answered one waits for its entry instead";
  EXPECT_EQ(waiters.first_waited(), 10u);
}

}  // namespace
}  // namespace taskraft::node

// Leadership transfer: catch the target up, TimeoutNow, proposals refused meanwhile, abandoned
// after an election timeout, and the target's election bypassing pre-vote and the lease.
#include <gtest/gtest.h>

#include "cluster.h"
#include "script.h"

namespace taskraft::raft::testing {
namespace {

TEST(Transfer, CaughtUpTargetTakesOverInTheNextTerm) {
  Cluster c({1, 2, 3});
  c.elect(1);
  const Term term = c[1].status().hard.term;
  const int pre_votes = c.delivered_[MessageType::kPreVote];
  EXPECT_EQ(c[1].transfer_leader(3), Error::kOk);
  c.stabilize();
  EXPECT_EQ(c.leader(), 3u);
  EXPECT_EQ(c[3].status().hard.term, term + 1);
  EXPECT_EQ(c[1].status().leader, 3u);
  EXPECT_EQ(c.delivered_[MessageType::kTimeoutNow], 1);
  // No pre-vote, and 2 granted although it had just heard from leader 1 (the lease).
  EXPECT_EQ(c.delivered_[MessageType::kPreVote], pre_votes);
}

TEST(Transfer, LaggingTargetIsCaughtUpBeforeTimeoutNow) {
  Raft r = replicating_leader(config_for(1));
  r.propose("x");
  cycle(r);
  ASSERT_EQ(r.transfer_leader(2), Error::kOk);
  EXPECT_EQ(r.status().transferee, 2u);
  EXPECT_TRUE(of_type(sent(cycle(r)), MessageType::kTimeoutNow).empty());
  ack(r, 2, 2);
  const auto tn = of_type(sent(cycle(r)), MessageType::kTimeoutNow);
  ASSERT_EQ(tn.size(), 1u);
  EXPECT_EQ(tn[0].to, 2u);
}

TEST(Transfer, ProposalsAreRefusedWhileUnderWay) {
  Raft r = replicating_leader(config_for(1));
  r.propose("x");
  cycle(r);
  ASSERT_EQ(r.transfer_leader(2), Error::kOk);
  EXPECT_EQ(r.propose("y").error, Error::kTransferInProgress);
  EXPECT_EQ(r.propose_conf_change({ConfChangeType::kAddLearner, 4, ""}).error, Error::kTransferInProgress);
  EXPECT_EQ(r.transfer_leader(3), Error::kTransferInProgress);
  EXPECT_EQ(r.transfer_leader(2), Error::kOk);  // asking again for the same target is fine
}

TEST(Transfer, AbandonedAfterAnElectionTimeout) {
  Raft r = replicating_leader(config_for(1));
  r.propose("x");
  cycle(r);
  ASSERT_EQ(r.transfer_leader(2), Error::kOk);
  for (int i = 0; i < 9; ++i) {
    r.tick();
    ack(r, 3, 2);  // keep a quorum so check-quorum does not interfere
  }
  EXPECT_EQ(r.status().transferee, 2u);
  r.tick();
  EXPECT_EQ(r.status().transferee, kNoNode);
  EXPECT_EQ(r.status().role, Role::kLeader);
  EXPECT_EQ(r.propose("y").error, Error::kOk);
}

TEST(Transfer, TargetMustBeAVoterAndOnlyTheLeaderTransfers) {
  Raft r = replicating_leader(config_for(1));
  EXPECT_EQ(r.transfer_leader(9), Error::kUnknownNode);
  EXPECT_EQ(r.transfer_leader(1), Error::kOk);  // already there
  EXPECT_EQ(r.status().transferee, kNoNode);
  Raft f(config_for(2), fresh({1, 2, 3}));
  EXPECT_EQ(f.transfer_leader(3), Error::kNotLeader);
  Raft learner_target(config_for(1), fresh({1, 2}, {3}));
  win_election(learner_target);
  EXPECT_EQ(learner_target.transfer_leader(3), Error::kUnknownNode);
}

TEST(Transfer, LearnerIgnoresTimeoutNow) {
  Raft l(config_for(4), fresh({1, 2, 3}, {4}));
  l.step(msg(MessageType::kTimeoutNow, 1, 4, 1));
  EXPECT_EQ(l.status().role, Role::kFollower);
  EXPECT_TRUE(sent(cycle(l)).empty());
}

}  // namespace
}  // namespace taskraft::raft::testing

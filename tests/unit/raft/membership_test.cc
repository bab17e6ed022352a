// Membership changes (conf_change.h): learners join and catch up, promotion, removal, the rule of
// one unapplied change at a time, the committed-in-term rule, effect on apply, a removed leader
// stepping down, and the membership recorded at compaction points and replayed on restart.
#include <gtest/gtest.h>

#include "cluster.h"
#include "script.h"

namespace taskraft::raft::testing {
namespace {

ConfChange add_learner(NodeId id) { return {ConfChangeType::kAddLearner, id, "addr-" + std::to_string(id)}; }
ConfChange promote(NodeId id) { return {ConfChangeType::kPromoteLearner, id, ""}; }
ConfChange remove_node(NodeId id) { return {ConfChangeType::kRemoveNode, id, ""}; }

TEST(Membership, LearnerJoinsCatchesUpAndIsPromotedToAVoter) {
  Cluster c({1, 2, 3});
  c.elect(1);
  c[1].propose("before");
  c.stabilize();
  c.add(4, InitialState{}, config_for(1));  // joins empty, learns everything from the leader
  ASSERT_EQ(c[1].propose_conf_change(add_learner(4)).error, Error::kOk);
  c.stabilize();
  c.tick_all(2);
  EXPECT_EQ(c[1].status().conf, (ConfState{{1, 2, 3}, {4}}));
  EXPECT_EQ(c[4].status().conf, (ConfState{{1, 2, 3}, {4}}));
  EXPECT_EQ(c.applied_data(4), std::vector<std::string>{"before"});
  EXPECT_EQ(c[4].status().role, Role::kFollower);

  ASSERT_EQ(c[1].propose_conf_change(promote(4)).error, Error::kOk);
  c.stabilize();
  for (NodeId id : c.ids()) EXPECT_EQ(c[id].status().conf.voters, (std::vector<NodeId>{1, 2, 3, 4})) << id;
  // Now 4 counts: with 2 and 3 gone, 1 and 4 are not a majority of four.
  c.isolate(2);
  c.isolate(3);
  const Index commit = c[1].status().hard.commit;
  c[1].propose("needs-three-of-four");
  c.stabilize();
  EXPECT_EQ(c[1].status().hard.commit, commit);
  c.heal();
  c.stabilize();
  c.tick_all(1);
  EXPECT_GT(c[1].status().hard.commit, commit);
}

TEST(Membership, AtMostOneUnappliedChangeAtATime) {
  Cluster c({1, 2, 3});
  c.elect(1);
  ASSERT_EQ(c[1].propose_conf_change(add_learner(4)).error, Error::kOk);
  EXPECT_EQ(c[1].propose_conf_change(add_learner(5)).error, Error::kConfChangePending);
  c.stabilize();  // committed and applied
  EXPECT_EQ(c[1].propose_conf_change(add_learner(5)).error, Error::kOk);
}

TEST(Membership, ChangeStillPendingWhileCommittedButNotApplied) {
  Raft r = replicating_leader(config_for(1));
  ASSERT_EQ(r.propose_conf_change(add_learner(4)).error, Error::kOk);
  cycle(r);
  ack(r, 2, 2);
  Ready rd = r.ready();
  ASSERT_EQ(rd.committed.size(), 1u);
  EXPECT_EQ(r.status().conf.learners.size(), 0u) << "takes effect when applied, not when committed";
  EXPECT_EQ(r.propose_conf_change(add_learner(5)).error, Error::kConfChangePending);
  EXPECT_EQ(r.apply_conf_change(*decode_conf_change(rd.committed[0].data)), (ConfState{{1, 2, 3}, {4}}));
  r.advance(rd);
  EXPECT_EQ(r.propose_conf_change(add_learner(5)).error, Error::kOk);
}

TEST(Membership, NewLeaderMustCommitAnEntryOfItsTermFirst) {
  Raft r(config_for(1), fresh({1, 2, 3}));
  win_election(r);
  EXPECT_EQ(r.propose_conf_change(add_learner(4)).error, Error::kNotCommittedInTerm);
  cycle(r);
  ack(r, 2, 1);
  EXPECT_EQ(r.propose_conf_change(add_learner(4)).error, Error::kOk);
}

TEST(Membership, InvalidChangesAndNonLeadersAreRefused) {
  Raft r = replicating_leader(config_for(1));
  EXPECT_EQ(r.propose_conf_change(promote(2)).error, Error::kInvalidConfChange);
  EXPECT_EQ(r.propose_conf_change(remove_node(9)).error, Error::kUnknownNode);
  EXPECT_EQ(r.propose_conf_change(add_learner(3)).error, Error::kInvalidConfChange);
  EXPECT_EQ(r.status().last_index, 1u);  // nothing appended
  Raft f(config_for(2), fresh({1, 2, 3}));
  EXPECT_EQ(f.propose_conf_change(add_learner(4)).error, Error::kNotLeader);
  EXPECT_EQ(f.propose("x").error, Error::kNotLeader);
}

TEST(Membership, RemovedLeaderHandsOverAndTheOthersGoOn) {
  Cluster c({1, 2, 3});
  c.elect(1);
  ASSERT_EQ(c[1].propose_conf_change(remove_node(1)).error, Error::kOk);
  c.stabilize();
  // A lame duck until a remaining voter takes over: it takes no more proposals or reads.
  EXPECT_EQ(c[1].propose("late").error, Error::kNotLeader);
  EXPECT_EQ(c[2].status().conf.voters, (std::vector<NodeId>{2, 3}));
  c.tick_all(40);
  const NodeId l = c.leader();
  ASSERT_TRUE(l == 2 || l == 3);
  EXPECT_EQ(c[1].status().role, Role::kFollower);  // a non-member never campaigns
  c[l].propose("without-1");
  c.stabilize();
  EXPECT_EQ(c.applied_data(l), std::vector<std::string>{"without-1"});
}

TEST(Membership, RemovingAFollowerShrinksTheMajority) {
  Cluster c({1, 2, 3});
  c.elect(1);
  ASSERT_EQ(c[1].propose_conf_change(remove_node(3)).error, Error::kOk);
  c.stabilize();
  c.isolate(3);
  c.isolate(2);
  c[1].propose("alone");
  c.stabilize();
  EXPECT_TRUE(c.applied_data(1).empty()) << "{1,2} needs both";
  c.heal();
  c.isolate(3);
  c.tick_all(1);
  EXPECT_EQ(c.applied_data(1), std::vector<std::string>{"alone"});
  EXPECT_EQ(c[1].status().peers.size(), 1u);
}

TEST(Membership, CompactionPointCarriesTheMembershipInForceAtIt) {
  Cluster c({1, 2, 3});
  c.elect(1);
  c[1].propose("a");
  c.stabilize();
  const Index cc_index = c[1].propose_conf_change(add_learner(4)).index;
  c.stabilize();
  c[1].propose("b");
  c.stabilize();
  EXPECT_EQ(c[1].compact(cc_index - 1).conf, (ConfState{{1, 2, 3}, {}}));
  EXPECT_EQ(c[1].compact(cc_index).conf, (ConfState{{1, 2, 3}, {4}}));
}

TEST(Membership, RestartReplaysTheChangesTheStateMachineAlreadyApplied) {
  Cluster c({1, 2, 3});
  c.elect(1);
  ASSERT_EQ(c[1].propose_conf_change(add_learner(4)).error, Error::kOk);
  c.stabilize();
  c.restart(2);
  EXPECT_EQ(c[2].status().conf, (ConfState{{1, 2, 3}, {4}}));
  EXPECT_FALSE(c[2].has_ready());
}

TEST(Membership, TheLeaderOfTwoRemovesItselfOnlyAfterHandingOverLeadership) {
  // {1,2}: until 2 hears that 1's removal committed it needs 1's vote to win, so 1 stopping
  // right after committing its own removal would leave 2 stuck for good. The leader of two is
  // refused, and the way through is a transfer: the survivor commits the removal itself.
  Cluster c({1, 2});
  c.elect(1);
  EXPECT_EQ(c[1].propose_conf_change(remove_node(1)).error, Error::kTransferFirst);
  ASSERT_EQ(c[1].transfer_leader(2), Error::kOk);
  c.stabilize();
  ASSERT_EQ(c.leader(), 2u);
  c[2].propose("in the new term");  // a leader changes membership once it committed in its term
  c.stabilize();
  ASSERT_EQ(c[2].propose_conf_change(remove_node(1)).error, Error::kOk);
  c.stabilize();
  EXPECT_EQ(c[2].status().conf.voters, (std::vector<NodeId>{2}));
  c.isolate(1);  // 1 is gone for good: 2 goes on alone
  c[2].propose("alone");
  c.stabilize();
  EXPECT_EQ(c[2].status().hard.commit, c[2].status().last_index);
}

TEST(Membership, ARemovedNodeWipedAndAddedBackCatchesUpThroughASnapshot) {
  // The operator's sequence for a lost disk (API.md): remove it, add it back as a learner while
  // it is still down, then start it empty (--join).
  Cluster c({1, 2, 3});
  c.elect(1);
  c[1].propose("before");
  c.stabilize();
  c.isolate(3);
  ASSERT_EQ(c[1].propose_conf_change(remove_node(3)).error, Error::kOk);
  c.stabilize();
  ASSERT_EQ(c[1].propose_conf_change(add_learner(3)).error, Error::kOk);
  c.stabilize();
  c.tick_all(5);  // appends and heartbeats to 3 are lost
  c.add(3, InitialState{}, config_for(1));
  c.heal();
  for (int i = 0; i < 10; ++i) {
    c.tick_all(1);
    c.stabilize();
  }
  EXPECT_EQ(c[3].status().conf, (ConfState{{1, 2}, {3}}));
  EXPECT_EQ(c[3].status().hard.commit, c[1].status().hard.commit);
}

}  // namespace
}  // namespace taskraft::raft::testing

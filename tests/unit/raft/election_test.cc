// Leader election: persistence ordering of votes, the vote rules, randomized timeouts, pre-vote,
// check-quorum and the lease, learners and pending membership changes, terms learnt from refusals.
#include <gtest/gtest.h>

#include <set>

#include "cluster.h"
#include "script.h"

namespace taskraft::raft::testing {
namespace {

Raft node(NodeId id, InitialState init, bool pre_vote = false, bool check_quorum = false,
          std::uint64_t seed = 42) {
  Config c = config_for(id, seed);
  c.pre_vote = pre_vote;
  c.check_quorum = check_quorum;
  return Raft(c, init);
}

Message vote_request(NodeId from, NodeId to, Term term, Index last_index, Term last_term) {
  Message m = msg(MessageType::kVote, from, to, term);
  m.index = last_index;
  m.log_term = last_term;
  return m;
}

TEST(Election, CandidatePersistsTermAndVoteBeforeAskingVoters) {
  Raft r = node(1, fresh({1, 2, 3}, {4}));
  r.campaign();
  const Ready rd = cycle(r);
  ASSERT_TRUE(rd.hard_state);
  EXPECT_EQ(*rd.hard_state, (HardState{1, 1, 0}));
  EXPECT_TRUE(rd.must_sync);
  EXPECT_TRUE(rd.send_now.empty());
  const auto votes = of_type(rd.send_after_persist, MessageType::kVote);
  ASSERT_EQ(votes.size(), 2u);  // voters 2 and 3, never the learner 4
  EXPECT_EQ(votes[0].to, 2u);
  EXPECT_EQ(votes[1].to, 3u);
  EXPECT_EQ(votes[0].term, 1u);
}

TEST(Election, VoteGrantLeavesOnlyAfterTheVoteIsPersisted) {
  Raft r = node(2, fresh({1, 2, 3}));
  r.step(vote_request(1, 2, 1, 0, 0));
  const Ready rd = cycle(r);
  ASSERT_TRUE(rd.hard_state);
  EXPECT_EQ(rd.hard_state->term, 1u);
  EXPECT_EQ(rd.hard_state->vote, 1u);
  EXPECT_TRUE(rd.send_now.empty());
  ASSERT_EQ(rd.send_after_persist.size(), 1u);
  EXPECT_EQ(rd.send_after_persist[0].type, MessageType::kVoteResp);
  EXPECT_FALSE(rd.send_after_persist[0].reject);
}

TEST(Election, AtMostOneVotePerTermAndRepeatableForTheSameCandidate) {
  Raft r = node(2, fresh({1, 2, 3}));
  r.step(vote_request(1, 2, 1, 0, 0));
  r.step(vote_request(3, 2, 1, 0, 0));
  r.step(vote_request(1, 2, 1, 0, 0));
  const auto resps = sent(cycle(r));
  ASSERT_EQ(resps.size(), 3u);
  EXPECT_FALSE(resps[0].reject);
  EXPECT_TRUE(resps[1].reject);
  EXPECT_FALSE(resps[2].reject);
  EXPECT_EQ(r.status().hard.vote, 1u);
}

TEST(Election, VotesOnlyForLogsAtLeastAsUpToDate) {
  const InitialState init = with_log({1, 2, 3}, {1, 2}, HardState{2, kNoNode, 0});
  struct Case {
    Index last_index;
    Term last_term;
    bool granted;
  } cases[] = {{5, 1, false}, {1, 2, false}, {2, 2, true}, {3, 2, true}, {1, 3, true}};
  for (const Case& c : cases) {
    Raft r = node(2, init);
    r.step(vote_request(1, 2, 3, c.last_index, c.last_term));
    const auto resps = of_type(sent(cycle(r)), MessageType::kVoteResp);
    ASSERT_EQ(resps.size(), 1u);
    EXPECT_EQ(!resps[0].reject, c.granted) << c.last_index << "/" << c.last_term;
    EXPECT_EQ(r.status().hard.term, 3u);  // the higher term is adopted either way
  }
}

TEST(Election, MajorityOfGrantsWinsMajorityOfRefusalsLoses) {
  Raft won = node(1, fresh({1, 2, 3, 4, 5}));
  won.campaign();
  cycle(won);
  won.step(msg(MessageType::kVoteResp, 2, 1, 1));
  EXPECT_EQ(won.status().role, Role::kCandidate);
  won.step(msg(MessageType::kVoteResp, 3, 1, 1));
  EXPECT_EQ(won.status().role, Role::kLeader);

  Raft lost = node(1, fresh({1, 2, 3, 4, 5}));
  lost.campaign();
  cycle(lost);
  for (NodeId from : {2, 3, 4}) {
    Message m = msg(MessageType::kVoteResp, from, 1, 1);
    m.reject = true;
    lost.step(m);
  }
  EXPECT_EQ(lost.status().role, Role::kFollower);
  EXPECT_EQ(lost.status().hard.term, 1u);
}

TEST(Election, LeaderAppendsANoOpOfItsTerm) {
  Raft r = node(1, fresh({1, 2, 3}));
  win_election(r);
  ASSERT_EQ(r.status().role, Role::kLeader);
  const std::vector<Entry> log = r.entries(1, 2);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].term, r.status().hard.term);
  EXPECT_EQ(log[0].type, EntryType::kNormal);
  EXPECT_TRUE(log[0].data.empty());
}

TEST(Election, TimeoutIsDrawnFromTheSeedInOneToTwoElectionTimeouts) {
  std::set<int> seen;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    int ticks_a = 0;
    int ticks_b = 0;
    for (int* ticks : {&ticks_a, &ticks_b}) {
      Raft r = node(1, fresh({1, 2, 3}), false, false, seed);
      while (r.status().role == Role::kFollower) {
        r.tick();
        ++*ticks;
        ASSERT_LT(*ticks, 100);
      }
    }
    EXPECT_EQ(ticks_a, ticks_b) << "seed " << seed;  // deterministic
    EXPECT_GE(ticks_a, 10);
    EXPECT_LT(ticks_a, 20);
    seen.insert(ticks_a);
  }
  EXPECT_GE(seen.size(), 8u);  // actually spread over the range
}

TEST(Election, LearnerNeverCampaignsAndItsVoteNeverCounts) {
  Raft learner = node(4, fresh({1, 2, 3}, {4}));
  learner.campaign();
  for (int i = 0; i < 100; ++i) learner.tick();
  EXPECT_EQ(learner.status().role, Role::kFollower);
  EXPECT_EQ(learner.status().hard.term, 0u);
  EXPECT_FALSE(learner.has_ready());

  Raft candidate = node(1, fresh({1, 2, 3}, {4}));
  candidate.campaign();
  cycle(candidate);
  candidate.step(msg(MessageType::kVoteResp, 4, 1, 1));
  EXPECT_EQ(candidate.status().role, Role::kCandidate);
}

TEST(Election, NodeWithCommittedButUnappliedConfChangeDoesNotCampaign) {
  InitialState init = fresh({1, 2, 3});
  init.entries = entries_of_terms({1});
  init.entries.push_back(Entry{1, 2, EntryType::kConfChange,
                               encode_conf_change({ConfChangeType::kAddLearner, 4, ""})});
  init.hard = HardState{1, kNoNode, 2};
  Config c = config_for(1);
  c.applied = 1;
  Raft r(c, init);
  r.campaign();
  for (int i = 0; i < 50; ++i) r.tick();
  EXPECT_EQ(r.status().role, Role::kFollower);
  EXPECT_EQ(r.status().hard.term, 1u);
  // Once applied, it campaigns again.
  Ready rd = r.ready();
  ASSERT_EQ(rd.committed.size(), 1u);
  r.apply_conf_change(*decode_conf_change(rd.committed[0].data));
  r.advance(rd);
  r.campaign();
  EXPECT_NE(r.status().role, Role::kFollower);
}

TEST(PreVote, PreCandidateKeepsItsTermAndAsksForTheNextOne) {
  Raft r = node(1, fresh({1, 2, 3}), true);
  r.campaign();
  EXPECT_EQ(r.status().role, Role::kPreCandidate);
  const Ready rd = cycle(r);
  EXPECT_FALSE(rd.hard_state);  // nothing changed that must be durable
  const auto pre = of_type(sent(rd), MessageType::kPreVote);
  ASSERT_EQ(pre.size(), 2u);
  EXPECT_EQ(pre[0].term, 1u);
  EXPECT_EQ(r.status().hard.term, 0u);
  // A granting voter does not move its term either.
  Raft voter = node(2, fresh({1, 2, 3}), true);
  voter.step(pre[0]);
  const auto resp = of_type(sent(cycle(voter)), MessageType::kPreVoteResp);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_FALSE(resp[0].reject);
  EXPECT_EQ(voter.status().hard.term, 0u);
  EXPECT_EQ(voter.status().hard.vote, kNoNode);
  // With a majority of pre-votes it becomes a real candidate.
  r.step(resp[0]);
  EXPECT_EQ(r.status().role, Role::kCandidate);
  EXPECT_EQ(r.status().hard.term, 1u);
}

TEST(PreVote, RefusedWhileTheVoterHearsFromALeader) {
  Raft r = node(2, fresh({1, 2, 3}), true, false);
  r.step(msg(MessageType::kHeartbeat, 1, 2, 1));
  cycle(r);
  Message pre = msg(MessageType::kPreVote, 3, 2, 2);
  r.step(pre);
  const auto resp = of_type(sent(cycle(r)), MessageType::kPreVoteResp);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_TRUE(resp[0].reject);
  EXPECT_EQ(r.status().leader, 1u);
  EXPECT_EQ(r.status().hard.term, 1u);
}

// Node 3 is cut off from a working leader 1 for 100 ticks, then comes back.
struct Rejoin {
  Term term_before = 0;
  Term isolated_term = 0;  // what 3 reached alone
  Term term_after = 0;
  NodeId leader_after = kNoNode;
};

Rejoin rejoin_after_partition(bool pre_vote) {
  Config base = config_for(1);
  base.pre_vote = pre_vote;
  base.check_quorum = false;
  Cluster c({1, 2, 3}, base);
  c.elect(1);
  Rejoin r;
  r.term_before = c[1].status().hard.term;
  c.isolate(3);
  c.tick_all(100);
  r.isolated_term = c[3].status().hard.term;
  c.heal();
  c.tick_all(30);
  r.leader_after = c.leader();
  r.term_after = c[r.leader_after].status().hard.term;
  return r;
}

TEST(PreVote, RejoiningPartitionedNodeDoesNotDisruptTheLeader) {
  const Rejoin r = rejoin_after_partition(true);
  EXPECT_EQ(r.isolated_term, r.term_before);  // its pre-votes fail, its term stays
  EXPECT_EQ(r.leader_after, 1u);
  EXPECT_EQ(r.term_after, r.term_before);
}

TEST(PreVote, WithoutItARejoiningNodeDisrupts) {
  // The contrast that makes the test above meaningful.
  const Rejoin r = rejoin_after_partition(false);
  EXPECT_GT(r.isolated_term, r.term_before + 3);
  EXPECT_GT(r.term_after, r.term_before);
}

TEST(CheckQuorum, LeaderStepsDownWhenItHasNotHeardFromAQuorum) {
  Cluster c({1, 2, 3});
  c.elect(1);
  ASSERT_EQ(c.leader(), 1u);
  c.isolate(1);
  // Check-quorum looks back over whole election timeouts: the replies heard just before the
  // partition count for the current one, so the leader is gone by the end of the next.
  for (int i = 0; i < 20; ++i) {
    c[1].tick();
    c.stabilize();
  }
  EXPECT_EQ(c[1].status().role, Role::kFollower);
  EXPECT_EQ(c[1].status().leader, kNoNode);
}

TEST(CheckQuorum, LeaderWithAQuorumStaysLeader) {
  Cluster c({1, 2, 3});
  c.elect(1);
  c.isolate(3);
  for (int i = 0; i < 50; ++i) {
    c[1].tick();
    c.stabilize();
  }
  EXPECT_EQ(c[1].status().role, Role::kLeader);
}

TEST(CheckQuorum, FollowerIgnoresVotesWithinTheLeaseUnlessForATransfer) {
  Raft r = node(2, fresh({1, 2, 3}), false, true);
  r.step(msg(MessageType::kHeartbeat, 1, 2, 1));
  cycle(r);
  r.step(vote_request(3, 2, 2, 5, 1));
  EXPECT_TRUE(sent(cycle(r)).empty());
  EXPECT_EQ(r.status().hard.term, 1u);
  Message forced = vote_request(3, 2, 2, 5, 1);
  forced.transfer = true;
  r.step(forced);
  const auto resp = of_type(sent(cycle(r)), MessageType::kVoteResp);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_FALSE(resp[0].reject);
  EXPECT_EQ(r.status().hard.term, 2u);
}

TEST(Election, StaleLeaderLearnsTheNewTermAndStepsDown) {
  Raft r = node(2, fresh({1, 2, 3}), true, true);
  r.step(msg(MessageType::kHeartbeat, 3, 2, 5));
  cycle(r);
  r.step(msg(MessageType::kApp, 1, 2, 4));
  const auto resp = sent(cycle(r));
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_EQ(resp[0].type, MessageType::kAppResp);
  EXPECT_EQ(resp[0].term, 5u);

  Raft old_leader = node(1, fresh({1, 2, 3}));
  win_election(old_leader);
  old_leader.step(resp[0]);
  EXPECT_EQ(old_leader.status().role, Role::kFollower);
  EXPECT_EQ(old_leader.status().hard.term, 5u);
}

TEST(Election, CandidateBelowOurTermIsRefusedWithOurTermAndTakesItUp) {
  // Node 2 is at term 5 and (its configuration being behind) never writes to candidate 4, which
  // it takes for a learner: only the refusal tells 4 the term it must campaign above.
  Raft voter = node(2, fresh({1, 2, 3}, {4}));
  voter.step(msg(MessageType::kHeartbeat, 1, 2, 5));
  cycle(voter);
  const auto resp = sent((voter.step(vote_request(4, 2, 3, 9, 3)), cycle(voter)));
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_EQ(resp[0].type, MessageType::kVoteResp);
  EXPECT_TRUE(resp[0].reject);
  EXPECT_EQ(resp[0].term, 5u);
  EXPECT_EQ(voter.status().hard.vote, kNoNode);

  Raft candidate = node(4, fresh({2, 4}));
  candidate.campaign();
  cycle(candidate);
  ASSERT_EQ(candidate.status().role, Role::kCandidate);
  candidate.step(resp[0]);
  EXPECT_EQ(candidate.status().role, Role::kFollower);
  EXPECT_EQ(candidate.status().hard.term, 5u);
}

TEST(Election, MalformedMessagesAreDropped) {
  Raft r = node(2, fresh({1, 2, 3}));
  Message wrong_to = msg(MessageType::kVote, 1, 3, 1);
  r.step(wrong_to);
  Message gap = msg(MessageType::kApp, 1, 2, 1);
  gap.entries = entries_of_terms({1}, 5);  // should start at index 1
  r.step(gap);
  Message future_entry = msg(MessageType::kApp, 1, 2, 1);
  future_entry.entries = entries_of_terms({3}, 1);  // entry newer than the message's term
  r.step(future_entry);
  Message zero_term = msg(MessageType::kHeartbeat, 1, 2, 0);
  r.step(zero_term);
  EXPECT_EQ(r.status().hard.term, 0u);
  EXPECT_FALSE(r.has_ready());
}

}  // namespace
}  // namespace taskraft::raft::testing

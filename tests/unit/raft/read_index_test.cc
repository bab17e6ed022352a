// Linearizable reads (ReadIndex): refused before the leader committed in its term, one shared
// heartbeat round, the single-voter shortcut, forwarding from followers (answered at once where
// sender and leader are a majority), and failure when the leadership they wait on is lost.
#include <gtest/gtest.h>

#include "cluster.h"
#include "script.h"

namespace taskraft::raft::testing {
namespace {

Message heartbeat_reply(const Message& hb) {
  Message m = msg(MessageType::kHeartbeatResp, hb.to, hb.from, hb.term);
  m.context = hb.context;
  return m;
}

TEST(ReadIndex, RefusedUntilTheLeaderCommittedAnEntryOfItsTerm) {
  Raft r(config_for(1), fresh({1, 2, 3}));
  win_election(r);
  r.read_index("early");
  const Ready rd = cycle(r);
  EXPECT_EQ(rd.failed_reads, std::vector<std::string>{"early"});
  EXPECT_TRUE(rd.read_states.empty());
}

TEST(ReadIndex, OneHeartbeatRoundConfirmsEveryReadWaitingAtThatMoment) {
  Raft r = replicating_leader(config_for(1));
  r.read_index("a");
  r.read_index("b");
  r.read_index("c");
  const Ready rd = cycle(r);
  const auto hbs = of_type(sent(rd), MessageType::kHeartbeat);
  ASSERT_EQ(hbs.size(), 2u);  // one per follower for all three reads
  EXPECT_FALSE(hbs[0].context.empty());
  EXPECT_EQ(hbs[0].context, hbs[1].context);
  EXPECT_TRUE(rd.read_states.empty());

  r.read_index("d");  // too late for this round
  r.step(heartbeat_reply(hbs[0]));
  const Ready confirmed = cycle(r);
  ASSERT_EQ(confirmed.read_states.size(), 3u);
  for (const ReadState& s : confirmed.read_states) EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(confirmed.read_states[2].context, "c");
  const auto next_round = of_type(sent(confirmed), MessageType::kHeartbeat);
  ASSERT_EQ(next_round.size(), 2u);
  EXPECT_NE(next_round[0].context, hbs[0].context);
  r.step(heartbeat_reply(hbs[1]));  // a late reply to the finished round confirms nothing
  EXPECT_TRUE(cycle(r).read_states.empty());
}

TEST(ReadIndex, SingleVoterClusterAnswersAtOnce) {
  Raft r(config_for(1), fresh({1}));
  r.campaign();
  cycle(r);  // its no-op becomes durable, which commits it
  r.read_index("x");
  const Ready rd = cycle(r);
  ASSERT_EQ(rd.read_states.size(), 1u);
  EXPECT_EQ(rd.read_states[0].index, 1u);
  EXPECT_TRUE(sent(rd).empty());
}

TEST(ReadIndex, FollowerForwardsToTheLeaderAndGetsItsIndex) {
  Cluster c({1, 2, 3});
  c.elect(1);
  c[1].propose("v");
  c.stabilize();
  c[2].read_index("f");
  c.stabilize();
  ASSERT_EQ(c.read_states_[2].size(), 1u);
  EXPECT_EQ(c.read_states_[2][0].context, "f");
  EXPECT_EQ(c.read_states_[2][0].index, c[1].status().hard.commit);
  EXPECT_EQ(c.delivered_[MessageType::kReadIndex], 1);
  EXPECT_EQ(c.delivered_[MessageType::kReadIndexResp], 1);
}

TEST(ReadIndex, AForwardedReadOfAThreeVoterClusterIsAnsweredWithoutAHeartbeatRound) {
  Raft r = replicating_leader(config_for(1));
  r.read_index("local");
  Message req = msg(MessageType::kReadIndex, 2, 1, r.status().hard.term);
  req.context = "f";
  const auto out = answer(r, req);
  const auto resp = of_type(out, MessageType::kReadIndexResp);
  ASSERT_EQ(resp.size(), 1u);  // the sender and the leader are a majority
  EXPECT_FALSE(resp[0].reject);
  EXPECT_EQ(resp[0].to, 2u);
  EXPECT_EQ(resp[0].index, 1u);
  EXPECT_EQ(resp[0].context, "f");
  // The leader's own read still needs its round: 2's request says nothing about when it arrived.
  const auto hbs = of_type(out, MessageType::kHeartbeat);
  ASSERT_EQ(hbs.size(), 2u);
  EXPECT_FALSE(hbs[0].context.empty());
}

TEST(ReadIndex, AForwardedReadOfAFiveVoterClusterWaitsForAMajorityOfHeartbeatAnswers) {
  Raft r = replicating_leader(config_for(1), {1, 2, 3, 4, 5});
  Message req = msg(MessageType::kReadIndex, 2, 1, r.status().hard.term);
  req.context = "f";
  const auto out = answer(r, req);
  EXPECT_TRUE(of_type(out, MessageType::kReadIndexResp).empty());
  const auto hbs = of_type(out, MessageType::kHeartbeat);
  ASSERT_EQ(hbs.size(), 4u);
  r.step(heartbeat_reply(hbs[0]));  // node 2: with the leader two of five
  EXPECT_TRUE(of_type(sent(cycle(r)), MessageType::kReadIndexResp).empty());
  r.step(heartbeat_reply(hbs[1]));  // node 3: three of five
  const auto resp = of_type(sent(cycle(r)), MessageType::kReadIndexResp);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_FALSE(resp[0].reject);
  EXPECT_EQ(resp[0].index, 1u);
}

TEST(ReadIndex, AForwardedReadOfALaterTermDeposesTheLeaderInsteadOfBeingAnswered) {
  Raft r = replicating_leader(config_for(1));
  Message req = msg(MessageType::kReadIndex, 2, 1, r.status().hard.term + 1);
  req.context = "f";
  const auto resp = of_type(answer(r, req), MessageType::kReadIndexResp);
  EXPECT_NE(r.status().role, Role::kLeader);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_TRUE(resp[0].reject);
}

TEST(ReadIndex, FollowerWithoutALeaderFailsTheReadAtOnce) {
  Raft f(config_for(2), fresh({1, 2, 3}));
  f.read_index("nobody");
  EXPECT_EQ(cycle(f).failed_reads, std::vector<std::string>{"nobody"});
}

TEST(ReadIndex, LeaderRefusesAForwardedReadBeforeItCommittedInItsTerm) {
  Raft r(config_for(1), fresh({1, 2, 3}));
  win_election(r);
  Message req = msg(MessageType::kReadIndex, 2, 1, r.status().hard.term);
  req.context = "f";
  const auto resp = of_type(answer(r, req), MessageType::kReadIndexResp);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_TRUE(resp[0].reject);
  EXPECT_EQ(resp[0].context, "f");
}

TEST(ReadIndex, ReadsWaitingOnALeaderThatLosesLeadershipFail) {
  Raft r = replicating_leader(config_for(1), {1, 2, 3, 4, 5});  // a forwarded read waits too
  r.read_index("local");
  Message req = msg(MessageType::kReadIndex, 2, 1, r.status().hard.term);
  req.context = "forwarded";
  r.step(req);
  cycle(r);  // the round is out
  r.read_index("waiting");
  r.step(msg(MessageType::kHeartbeat, 3, 1, r.status().hard.term + 1));  // a newer leader
  const Ready rd = cycle(r);
  EXPECT_EQ(rd.failed_reads, (std::vector<std::string>{"local", "waiting"}));
  const auto resp = of_type(sent(rd), MessageType::kReadIndexResp);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_TRUE(resp[0].reject);
  EXPECT_EQ(resp[0].to, 2u);
}

TEST(ReadIndex, ForwardedReadFailsWhenTheFollowerLosesItsLeaderOrHearsNothing) {
  Raft f(config_for(2), fresh({1, 2, 3}));
  f.step(msg(MessageType::kHeartbeat, 1, 2, 1));
  f.read_index("r1");
  const auto fwd = of_type(sent(cycle(f)), MessageType::kReadIndex);
  ASSERT_EQ(fwd.size(), 1u);
  EXPECT_EQ(fwd[0].to, 1u);
  f.step(msg(MessageType::kHeartbeat, 3, 2, 2));  // a new leader: the old one can not answer
  EXPECT_EQ(cycle(f).failed_reads, std::vector<std::string>{"r1"});

  f.read_index("r2");
  cycle(f);
  for (int i = 0; i < 9; ++i) f.tick();
  EXPECT_TRUE(cycle(f).failed_reads.empty());
  f.tick();  // an election timeout without an answer
  EXPECT_EQ(cycle(f).failed_reads, std::vector<std::string>{"r2"});
  Message late = msg(MessageType::kReadIndexResp, 3, 2, 2);
  late.context = "r2";
  late.index = 7;
  f.step(late);
  EXPECT_TRUE(cycle(f).read_states.empty());  // answered once only
}

}  // namespace
}  // namespace taskraft::raft::testing

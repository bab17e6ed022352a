// Log replication: the leader's write in parallel with sending, self-match only after advance,
// batching, flow control (probe, inflight window, byte cap), log matching with conflict
// truncation, fast back-off, commit-only appends that need no answer and the Figure 8
// commitment rule.
#include <gtest/gtest.h>

#include "cluster.h"
#include "script.h"

namespace taskraft::raft::testing {
namespace {

Raft node(NodeId id, InitialState init, std::size_t max_inflight = 256, std::size_t max_bytes = 1 << 20) {
  Config c = config_for(id);
  c.max_inflight_msgs = max_inflight;
  c.max_msg_bytes = max_bytes;
  return Raft(c, init);
}

Raft leader_with_limits(std::size_t max_inflight, std::size_t max_bytes) {
  Config c = config_for(1);
  c.max_inflight_msgs = max_inflight;
  c.max_msg_bytes = max_bytes;
  return testing::replicating_leader(c);
}

std::vector<Message> apps_to(const Ready& rd, NodeId to) {
  std::vector<Message> out;
  for (const Message& m : of_type(sent(rd), MessageType::kApp)) {
    if (m.to == to) out.push_back(m);
  }
  return out;
}

TEST(Replication, LeaderSendsBeforeItsOwnWriteIsDurable) {
  Raft r = replicating_leader(config_for(1));
  r.propose("a");
  const Ready rd = r.ready();
  ASSERT_EQ(rd.entries.size(), 1u);        // its own write, step 4
  EXPECT_EQ(apps_to(rd, 2).size(), 1u);    // replication, step 2, at the same time
  EXPECT_EQ(of_type(rd.send_now, MessageType::kApp).size(), 2u);
  EXPECT_TRUE(rd.send_after_persist.empty());
  r.advance(rd);
}

TEST(Replication, LeaderCountsItselfOnlyAfterAdvance) {
  Raft r = node(1, fresh({1, 2, 3}));
  win_election(r);
  const Ready rd = r.ready();
  ASSERT_EQ(rd.entries.size(), 1u);  // the no-op, not durable yet
  ack(r, 2, 1);
  EXPECT_EQ(r.status().hard.commit, 0u) << "a majority needs the leader's own unsynced copy";
  EXPECT_EQ(r.status().stable_index, 0u);
  r.advance(rd);
  EXPECT_EQ(r.status().stable_index, 1u);
  EXPECT_EQ(r.status().hard.commit, 1u);
}

TEST(Replication, FollowersAloneCanCommitWhileTheLeaderWrites) {
  Raft r = node(1, fresh({1, 2, 3}));
  win_election(r);
  const Ready rd = r.ready();
  ack(r, 2, 1);
  ack(r, 3, 1);
  EXPECT_EQ(r.status().hard.commit, 1u);  // a majority without the leader
  r.advance(rd);
  const Ready next = cycle(r);
  ASSERT_EQ(next.committed.size(), 1u);  // handed out for applying only after it was handed out for persisting
}

TEST(Replication, ProposalsSinceTheLastReadyTravelInOneMessagePerFollower) {
  Raft r = replicating_leader(config_for(1));
  for (int i = 0; i < 100; ++i) ASSERT_EQ(r.propose("p" + std::to_string(i)).error, Error::kOk);
  const Ready rd = cycle(r);
  EXPECT_EQ(rd.entries.size(), 100u);
  for (NodeId to : {2, 3}) {
    const auto apps = apps_to(rd, to);
    ASSERT_EQ(apps.size(), 1u);
    EXPECT_EQ(apps[0].entries.size(), 100u);
    EXPECT_EQ(apps[0].index, 1u);
    EXPECT_EQ(apps[0].entries.front().data, "p0");
  }
}

TEST(Replication, ProposeDoesNotSendAnything) {
  Raft r = replicating_leader(config_for(1));
  r.propose("a");
  r.propose("b");
  EXPECT_TRUE(r.has_ready());
  EXPECT_EQ(r.status().last_index, 3u);
  const ProposeResult res = r.propose("c");
  EXPECT_EQ(res.index, 4u);
  EXPECT_EQ(res.term, r.status().hard.term);
}

TEST(FlowControl, ProbingSendsOneMessageUntilAnswered) {
  Raft r = node(1, fresh({1, 2, 3}));
  win_election(r);
  EXPECT_EQ(apps_to(cycle(r), 2).size(), 1u);
  r.propose("a");
  EXPECT_TRUE(apps_to(cycle(r), 2).empty()) << "a second probe while the first is unanswered";
  // A heartbeat reply proves it alive: probing resumes from the unconfirmed point.
  r.step(msg(MessageType::kHeartbeatResp, 2, 1, r.status().hard.term));
  const auto apps = apps_to(cycle(r), 2);
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].index, 0u);
  EXPECT_EQ(apps[0].entries.size(), 2u);
}

TEST(FlowControl, ReplicatingStopsAtTheInflightWindow) {
  Raft r = leader_with_limits(/*max_inflight=*/2, /*max_bytes=*/1);
  for (int i = 0; i < 5; ++i) r.propose("x");
  const Ready rd = cycle(r);
  const auto apps = apps_to(rd, 2);
  ASSERT_EQ(apps.size(), 2u);  // one entry each (byte cap), two in flight at most
  EXPECT_EQ(apps[0].entries.size(), 1u);
  EXPECT_EQ(apps[1].entries[0].index, 3u);
  EXPECT_EQ(r.status().peers[0].inflight, 2u);
  EXPECT_FALSE(r.has_ready());
  ack(r, 2, 2);  // frees one slot
  const auto more = apps_to(cycle(r), 2);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].entries[0].index, 4u);
  EXPECT_TRUE(apps_to(cycle(r), 3).empty());  // 3 still has a full window
}

TEST(FlowControl, HeartbeatReplyFreesAFullWindowSoLostMessagesAreFound) {
  Raft r = leader_with_limits(1, 1);
  r.propose("x");
  r.propose("y");
  ASSERT_EQ(apps_to(cycle(r), 2).size(), 1u);
  EXPECT_TRUE(apps_to(cycle(r), 2).empty());
  r.step(msg(MessageType::kHeartbeatResp, 2, 1, r.status().hard.term));
  EXPECT_EQ(apps_to(cycle(r), 2).size(), 1u);
}

TEST(FlowControl, MessagesStayWithinTheByteCapButCarryAtLeastOneEntry) {
  Raft r = leader_with_limits(256, 250);
  for (int i = 0; i < 5; ++i) r.propose(std::string(100, 'a'));
  r.propose(std::string(1000, 'b'));
  const auto apps = apps_to(cycle(r), 2);
  std::vector<std::size_t> sizes;
  for (const Message& m : apps) sizes.push_back(m.entries.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1, 1}));
}

TEST(Replication, CommitRuleOfFigure8OnlyCountsEntriesOfTheCurrentTerm) {
  Raft r = node(1, with_log({1, 2, 3}, {1, 2}, HardState{2, kNoNode, 0}));
  win_election(r);  // term 3, no-op at index 3
  cycle(r);         // its own copy of 1..3 is durable
  ack(r, 2, 2);     // a majority holds index 2 (of term 2)...
  EXPECT_EQ(r.status().hard.commit, 0u) << "...but counting replicas never commits an older term";
  ack(r, 2, 3);
  EXPECT_EQ(r.status().hard.commit, 3u);  // committing the no-op commits everything before it
}

// Two cores talking over a perfect link; everything to other nodes is dropped.
struct Pair {
  Raft& leader;
  Raft& follower;
  int rejections = 0;

  void run() {
    for (int i = 0; i < 100; ++i) {
      bool moved = false;
      for (Raft* from : {&leader, &follower}) {
        if (!from->has_ready()) continue;
        moved = true;
        Raft* to = from == &leader ? &follower : &leader;
        for (Message& m : sent(cycle(*from))) {
          if (m.to != to->status().id) continue;
          if (m.type == MessageType::kAppResp && m.reject) ++rejections;
          to->step(std::move(m));
        }
      }
      if (!moved) return;
    }
  }
};

TEST(Replication, Figure7FollowersConvergeOnTheLeadersLogWithFewProbes) {
  const std::vector<Term> leader_log{1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
  const std::vector<std::vector<Term>> followers{
      {1, 1, 1, 4, 4, 5, 5, 6, 6},
      {1, 1, 1, 4},
      {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6},
      {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7},
      {1, 1, 1, 4, 4, 4, 4},
      {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3},
  };
  for (const auto& flog : followers) {
    Raft leader = node(1, with_log({1, 2, 3}, leader_log, HardState{7, kNoNode, 0}));
    win_election(leader);  // term 8
    Raft follower = node(2, with_log({1, 2, 3}, flog, HardState{flog.back(), kNoNode, 0}));
    Pair p{leader, follower};
    p.run();
    const Index last = leader.status().last_index;
    EXPECT_EQ(follower.status().last_index, last);
    EXPECT_EQ(follower.entries(1, last + 1), leader.entries(1, last + 1));
    EXPECT_EQ(follower.status().hard.commit, last);
    EXPECT_LE(p.rejections, 2) << "fast back-off skips whole terms; follower of " << flog.size();
  }
}

TEST(Replication, FollowerAnswersWithAHintForFastBackOff) {
  Raft f = node(2, with_log({1, 2, 3}, {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, HardState{3, kNoNode, 0}));
  const auto resp = answer(f, append(1, 2, 8, 10, 6));
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_TRUE(resp[0].reject);
  EXPECT_EQ(resp[0].index, 10u);
  EXPECT_EQ(resp[0].reject_hint, 10u);  // the largest index <= 10 with term <= 6...
  EXPECT_EQ(resp[0].log_term, 3u);      // ...and its term, so the leader skips term 3 at once
}

TEST(Replication, FollowerAcknowledgesOnlyAfterPersisting) {
  Raft f = node(2, fresh({1, 2, 3}));
  Message app = msg(MessageType::kApp, 1, 2, 1);
  app.entries = entries_of_terms({1, 1});
  app.commit = 1;
  f.step(app);
  const Ready rd = cycle(f);
  EXPECT_EQ(rd.entries.size(), 2u);
  EXPECT_TRUE(rd.send_now.empty());
  ASSERT_EQ(rd.send_after_persist.size(), 1u);
  EXPECT_EQ(rd.send_after_persist[0].index, 2u);
  ASSERT_EQ(rd.committed.size(), 1u);
  EXPECT_EQ(rd.hard_state->commit, 1u);
  EXPECT_TRUE(rd.must_sync);
}

TEST(Replication, ACommitIndexAloneNeedsNoSync) {
  Raft f = node(2, fresh({1, 2, 3}));
  Message app = msg(MessageType::kApp, 1, 2, 1);
  app.entries = entries_of_terms({1, 1});
  f.step(app);
  ASSERT_TRUE(cycle(f).must_sync);  // the entries and the term
  Message commit = msg(MessageType::kApp, 1, 2, 1);
  commit.index = 2;
  commit.log_term = 1;
  commit.commit = 2;
  f.step(commit);
  const Ready rd = cycle(f);
  ASSERT_TRUE(rd.hard_state);
  EXPECT_EQ(*rd.hard_state, (HardState{1, kNoNode, 2}));
  EXPECT_EQ(rd.committed.size(), 2u) << "the entries were synced by the earlier Ready";
  EXPECT_FALSE(rd.must_sync) << "a restarted node learns the commit index again";
  EXPECT_EQ(rd.send_after_persist.size(), 1u);
}

TEST(Replication, ACommitIndexAloneToAReplicatingFollowerAsksForNoAnswer) {
  Raft r = replicating_leader(config_for(1));
  r.propose("a");
  cycle(r);
  ack(r, 2, 2);  // 3 has not answered yet
  ASSERT_EQ(r.status().hard.commit, 2u);
  const Ready rd = cycle(r);
  const auto to2 = apps_to(rd, 2), to3 = apps_to(rd, 3);
  ASSERT_EQ(to2.size(), 1u);
  ASSERT_EQ(to3.size(), 1u);
  EXPECT_TRUE(to2[0].entries.empty());
  EXPECT_EQ(to2[0].commit, 2u);
  EXPECT_TRUE(to2[0].commit_only) << "2 acknowledged index 2: its answer would say nothing new";
  EXPECT_TRUE(to3[0].entries.empty());
  EXPECT_EQ(to3[0].commit, 2u);
  EXPECT_TRUE(to3[0].commit_only) << "3's answer to the entry itself will say what this one would";

  // 3's answer to the entry is lost. Its heartbeat answer shows the leader that it lags, and the
  // append that follows asks for an answer.
  r.tick();
  cycle(r);
  r.step(msg(MessageType::kHeartbeatResp, 3, 1, r.status().hard.term));
  const auto resync = apps_to(cycle(r), 3);
  ASSERT_EQ(resync.size(), 1u);
  EXPECT_FALSE(resync[0].commit_only);
  EXPECT_EQ(resync[0].index, 2u) << "its answer will say that 3 holds index 2";
}

TEST(Replication, FollowerAnswersACommitOnlyAppendOnlyWhenItRefusesIt) {
  Raft f = node(2, with_log({1, 2, 3}, {1, 1}, HardState{1, kNoNode, 0}));
  Message commit = append(1, 2, 1, 2, 1);
  commit.commit = 2;
  commit.commit_only = true;
  EXPECT_TRUE(answer(f, commit).empty());
  EXPECT_EQ(f.status().hard.commit, 2u) << "accepted: the commit index moves, silently";

  Message beyond = append(1, 2, 1, 5, 1);  // the follower lacks index 5: a leader's mistake
  beyond.commit = 5;
  beyond.commit_only = true;
  const auto resp = answer(f, beyond);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_TRUE(resp[0].reject) << "a refusal is always answered, so the leader can back off";
  EXPECT_EQ(f.status().hard.commit, 2u);
}

TEST(Replication, AppendBelowTheCommitIndexIsAnsweredWithTheCommitIndex) {
  Raft f = node(2, with_log({1, 2, 3}, {1, 1, 1}, HardState{1, kNoNode, 3}));
  const auto resp = answer(f, append(1, 2, 1, 1, 1));
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_FALSE(resp[0].reject);
  EXPECT_EQ(resp[0].index, 3u);
}

TEST(Cluster, FollowerTruncatesUncommittedEntriesOfADeposedLeader) {
  Cluster c({1, 2, 3});
  c.elect(1);
  c.isolate(1);
  c[1].propose("lost-1");
  c[1].propose("lost-2");
  c.tick_all(40);  // 2 and 3 stop hearing from 1 and elect one of them
  const NodeId l = c.leader();
  ASSERT_TRUE(l == 2 || l == 3);
  c[l].propose("kept");
  c.stabilize();
  c.heal();
  c.tick_all(3);
  EXPECT_EQ(c[1].status().role, Role::kFollower);
  for (NodeId id : c.ids()) EXPECT_EQ(c.applied_data(id), std::vector<std::string>{"kept"}) << id;
  EXPECT_EQ(c[1].entries(1, 10), c[l].entries(1, 10));
}

}  // namespace
}  // namespace taskraft::raft::testing

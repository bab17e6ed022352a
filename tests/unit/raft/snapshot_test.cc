// Snapshots: compaction by the caller, kSnap for followers behind the compaction point, the
// snapshot state until acknowledged, restore on the follower (or just a commit when its log
// already matches), retry after a failed send, and restart from a compacted log.
#include <gtest/gtest.h>

#include "cluster.h"
#include "script.h"

namespace taskraft::raft::testing {
namespace {

Message snapshot_message(NodeId from, NodeId to, Term term, SnapshotMeta meta) {
  Message m = msg(MessageType::kSnap, from, to, term);
  m.snapshot = std::move(meta);
  return m;
}

const PeerStatus& peer(const Status& s, NodeId id) {
  for (const PeerStatus& p : s.peers) {
    if (p.id == id) return p;
  }
  throw std::runtime_error("no such peer");
}

TEST(Snapshot, CompactionIsLimitedToWhatIsAppliedAndRecordsTermAndMembership) {
  Raft r = replicating_leader(config_for(1));
  for (int i = 0; i < 4; ++i) r.propose("x");
  cycle(r);
  ack(r, 2, 5);
  cycle(r);  // hands out 1..5 for applying
  const SnapshotMeta meta = r.compact(100);
  EXPECT_EQ(meta.index, 5u);
  EXPECT_EQ(meta.term, r.status().hard.term);
  EXPECT_EQ(meta.conf.voters, (std::vector<NodeId>{1, 2, 3}));
  EXPECT_EQ(r.status().first_index, 6u);
  EXPECT_EQ(r.term_at(5), meta.term);
  EXPECT_FALSE(r.term_at(4));
}

TEST(Snapshot, FollowerBehindTheCompactionPointGetsASnapshotAndThenTheLog) {
  Cluster c({1, 2, 3});
  c.elect(1);
  c.isolate(3);
  for (int i = 0; i < 10; ++i) {
    c[1].propose("v" + std::to_string(i));
    c.stabilize();
  }
  const SnapshotMeta meta = c[1].compact(c[1].status().applied);
  ASSERT_EQ(meta.index, 11u);
  c.heal();
  c.tick_all(3);
  EXPECT_EQ(c.delivered_[MessageType::kSnap], 1);
  EXPECT_EQ(c.disk(3).snapshot, meta);
  EXPECT_EQ(c[3].status().first_index, 12u);
  c[1].propose("after");
  c.stabilize();
  EXPECT_EQ(c.applied_data(3), std::vector<std::string>{"after"});
  const PeerStatus& p3 = peer(c[1].status(), 3);
  EXPECT_EQ(p3.state, ProgressState::kReplicate);
  EXPECT_EQ(p3.match, c[1].status().last_index);
}

TEST(Snapshot, FollowerRestoresFromTheSnapshotAndAcknowledgesAfterPersisting) {
  Raft f(config_for(2), with_log({1, 2, 3}, {1, 1}, HardState{1, kNoNode, 1}));
  const SnapshotMeta meta{20, 2, ConfState{{1, 2, 3, 4}, {}}};
  f.step(snapshot_message(1, 2, 3, meta));
  const Ready rd = cycle(f);
  ASSERT_TRUE(rd.snapshot);
  EXPECT_EQ(*rd.snapshot, meta);
  EXPECT_EQ(rd.hard_state->commit, 20u);
  EXPECT_TRUE(rd.committed.empty());  // the state machine gets the snapshot data instead
  EXPECT_TRUE(rd.send_now.empty());
  ASSERT_EQ(rd.send_after_persist.size(), 1u);
  EXPECT_EQ(rd.send_after_persist[0].type, MessageType::kAppResp);
  EXPECT_EQ(rd.send_after_persist[0].index, 20u);
  const Status s = f.status();
  EXPECT_EQ(s.first_index, 21u);
  EXPECT_EQ(s.last_index, 20u);
  EXPECT_EQ(s.applied, 20u);
  EXPECT_EQ(s.conf, meta.conf);
}

TEST(Snapshot, FollowerWhoseLogMatchesKeepsItsSuffixAndOnlyCommits) {
  Raft f(config_for(2), with_log({1, 2, 3}, {1, 1, 2, 2, 2}, HardState{2, kNoNode, 0}));
  f.step(snapshot_message(1, 2, 2, SnapshotMeta{3, 2, ConfState{{1, 2, 3}, {}}}));
  const Ready rd = cycle(f);
  EXPECT_FALSE(rd.snapshot);
  ASSERT_EQ(rd.committed.size(), 3u);
  EXPECT_EQ(f.status().last_index, 5u);
  EXPECT_EQ(f.status().hard.commit, 3u);
  ASSERT_EQ(sent(rd).size(), 1u);
  EXPECT_EQ(sent(rd)[0].index, 3u);
}

TEST(Snapshot, SnapshotNotNewerThanTheCommitIndexIsIgnored) {
  Raft f(config_for(2), with_log({1, 2, 3}, {1, 1, 1}, HardState{1, kNoNode, 3}));
  f.step(snapshot_message(1, 2, 1, SnapshotMeta{2, 1, ConfState{{1, 2, 3}, {}}}));
  const Ready rd = cycle(f);
  EXPECT_FALSE(rd.snapshot);
  ASSERT_EQ(sent(rd).size(), 1u);
  EXPECT_EQ(sent(rd)[0].index, 3u);
  EXPECT_EQ(f.status().first_index, 1u);
}

// A leader of {1,2,3} that applied 6 entries and compacted up to 5 while follower 3 stayed at 1.
Raft leader_with_follower_3_behind() {
  Raft r = replicating_leader(config_for(1));
  for (int i = 0; i < 5; ++i) r.propose("x");
  cycle(r);
  ack(r, 2, 6);
  cycle(r);
  EXPECT_EQ(r.compact(5).index, 5u);
  Message reject = msg(MessageType::kAppResp, 3, 1, r.status().hard.term);
  reject.index = 6;
  reject.reject = true;
  reject.reject_hint = 1;
  reject.log_term = r.status().hard.term;
  r.step(reject);
  return r;
}

TEST(Snapshot, LeaderSendsTheCompactionPointAndWaitsInSnapshotState) {
  Raft r = leader_with_follower_3_behind();
  const auto snaps = of_type(sent(cycle(r)), MessageType::kSnap);
  ASSERT_EQ(snaps.size(), 1u);
  EXPECT_EQ(snaps[0].to, 3u);
  EXPECT_EQ(snaps[0].snapshot.index, 5u);
  EXPECT_EQ(snaps[0].snapshot.conf.voters, (std::vector<NodeId>{1, 2, 3}));
  EXPECT_EQ(peer(r.status(), 3).state, ProgressState::kSnapshot);
  r.propose("more");
  r.step(msg(MessageType::kHeartbeatResp, 3, 1, r.status().hard.term));
  for (const Message& m : sent(cycle(r))) {
    EXPECT_FALSE(m.to == 3 && m.type != MessageType::kHeartbeat) << to_string(m.type);
  }
}

TEST(Snapshot, ACallerSnapshotAtALaterAppliedIndexIsAcknowledgedAndReplicationResumes) {
  Raft r = leader_with_follower_3_behind();
  cycle(r);
  // The caller sent its state machine's snapshot at 6 instead of the compaction point 5.
  ack(r, 3, 6);
  const Status s = r.status();
  EXPECT_EQ(peer(s, 3).state, ProgressState::kReplicate);
  EXPECT_EQ(peer(s, 3).match, 6u);
  EXPECT_EQ(peer(s, 3).next, 7u);
}

TEST(Snapshot, FailedSendIsReportedAndTheSnapshotSentAgain) {
  Raft r = leader_with_follower_3_behind();
  ASSERT_EQ(of_type(sent(cycle(r)), MessageType::kSnap).size(), 1u);
  r.report_snapshot(3, false);
  EXPECT_EQ(peer(r.status(), 3).state, ProgressState::kProbe);
  EXPECT_TRUE(of_type(sent(cycle(r)), MessageType::kSnap).empty());  // waits for a sign of life
  r.step(msg(MessageType::kHeartbeatResp, 3, 1, r.status().hard.term));
  EXPECT_EQ(of_type(sent(cycle(r)), MessageType::kSnap).size(), 1u);
}

TEST(Snapshot, NodeRestartsFromACompactedLog) {
  Cluster c({1, 2, 3});
  c.elect(1);
  for (int i = 0; i < 5; ++i) c[1].propose("v");
  c.stabilize();
  const SnapshotMeta meta = c[2].compact(c[2].status().applied);
  c.disk(2).snapshot = meta;  // the WAL drops the prefix and records the point
  std::erase_if(c.disk(2).entries, [&](const Entry& e) { return e.index <= meta.index; });
  c.restart(2);
  EXPECT_EQ(c[2].status().first_index, meta.index + 1);
  EXPECT_EQ(c[2].status().applied, meta.index);
  EXPECT_FALSE(c[2].has_ready());  // nothing to apply again
  c[1].propose("new");
  c.stabilize();
  EXPECT_EQ(c.applied_data(2).back(), "new");
}

}  // namespace
}  // namespace taskraft::raft::testing

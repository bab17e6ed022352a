// The small pieces under the role state machine: the PRNG, progress and its inflight window,
// majority arithmetic, the conf change encoding and rules, and read-index rounds.
#include <gtest/gtest.h>

#include <set>

#include "raft/conf_change.h"
#include "raft/progress.h"
#include "raft/quorum.h"
#include "raft/rand.h"
#include "raft/read_only.h"

namespace taskraft::raft {
namespace {

TEST(Rand, SameSeedSameSequenceAndBelowStaysInRange) {
  SplitMix64 a(7), b(7), c(8);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t x = a.below(10);
    EXPECT_EQ(x, b.below(10));
    EXPECT_LT(x, 10u);
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_NE(SplitMix64(7).next(), c.next());
}

TEST(Inflights, WindowFillsAndFreesByAcknowledgedIndex) {
  Inflights in(3);
  in.add(5);
  in.add(9);
  in.add(12);
  EXPECT_TRUE(in.full());
  in.free_le(9);
  EXPECT_EQ(in.count(), 1u);
  in.add(15);
  in.add(20);
  EXPECT_TRUE(in.full());  // wrapped around the ring
  in.free_first_one();
  EXPECT_EQ(in.count(), 2u);
  in.free_le(100);
  EXPECT_EQ(in.count(), 0u);
}

TEST(Progress, ProbeSendsOneMessageAtATime) {
  Progress pr(10, 4, true);
  EXPECT_FALSE(pr.paused());
  pr.sent_entries(3, 12);
  EXPECT_TRUE(pr.paused());
  EXPECT_EQ(pr.next, 10u);  // probing does not move next optimistically
}

TEST(Progress, ReplicateStreamsUpToTheWindow) {
  Progress pr(1, 2, true);
  pr.become_replicate();
  pr.sent_entries(2, 2);
  pr.sent_entries(2, 4);
  EXPECT_EQ(pr.next, 5u);
  EXPECT_TRUE(pr.paused());
  ASSERT_TRUE(pr.maybe_update(2));
  pr.inflights.free_le(2);
  EXPECT_FALSE(pr.paused());
}

TEST(Progress, StaleAcknowledgementsAndRejectionsAreIgnored) {
  Progress pr(6, 4, true);
  ASSERT_TRUE(pr.maybe_update(5));
  EXPECT_FALSE(pr.maybe_update(4));
  EXPECT_EQ(pr.match, 5u);
  pr.become_replicate();
  EXPECT_FALSE(pr.maybe_decr_to(5, 3));  // rejection of something already matched
  Progress probe(8, 4, true);
  EXPECT_FALSE(probe.maybe_decr_to(3, 1));  // not the outstanding probe (which is after 7)
  EXPECT_TRUE(probe.maybe_decr_to(7, 2));
  EXPECT_EQ(probe.next, 3u);  // jumps to the follower's hint + 1
}

TEST(Progress, LeavingSnapshotStateResumesAfterTheSnapshot) {
  Progress pr(3, 4, true);
  pr.become_snapshot(20);
  EXPECT_TRUE(pr.paused());
  pr.become_probe();
  EXPECT_EQ(pr.next, 21u);
}

TEST(Quorum, MajorityIndexIsReachedByAMajority) {
  std::vector<Index> m{5, 1, 9};
  EXPECT_EQ(majority_index(m), 5u);
  std::vector<Index> five{1, 2, 3, 4, 5};
  EXPECT_EQ(majority_index(five), 3u);
  std::vector<Index> one{7};
  EXPECT_EQ(majority_index(one), 7u);
  std::vector<Index> four{10, 10, 2, 2};
  EXPECT_EQ(majority_index(four), 2u);  // 3 of 4 needed
}

TEST(Quorum, TallyCountsVotersOnly) {
  const std::vector<NodeId> voters{1, 2, 3};
  EXPECT_EQ(tally(voters, {{1, true}}), VoteResult::kPending);
  EXPECT_EQ(tally(voters, {{1, true}, {4, true}, {5, true}}), VoteResult::kPending);
  EXPECT_EQ(tally(voters, {{1, true}, {2, true}}), VoteResult::kWon);
  EXPECT_EQ(tally(voters, {{1, true}, {2, false}, {3, false}}), VoteResult::kLost);
  EXPECT_EQ(tally({}, {{1, true}}), VoteResult::kLost);
}

TEST(ConfChangeEncoding, RoundTripsAndRejectsMalformedBytes) {
  const ConfChange cc{ConfChangeType::kPromoteLearner, 0x0102030405060708ULL, "peer=10.0.0.4:7000"};
  const std::string bytes = encode_conf_change(cc);
  EXPECT_EQ(bytes[0], '\x01');               // version
  EXPECT_EQ(bytes[2], '\x08');               // little-endian node id
  EXPECT_EQ(decode_conf_change(bytes), cc);
  EXPECT_FALSE(decode_conf_change(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(decode_conf_change(bytes + "x"));
  std::string v2 = bytes;
  v2[0] = 2;
  EXPECT_FALSE(decode_conf_change(v2));
  std::string bad_type = bytes;
  bad_type[1] = 9;
  EXPECT_FALSE(decode_conf_change(bad_type));
  EXPECT_FALSE(decode_conf_change(""));
}

TEST(ConfChangeRules, SingleServerChangesAgainstTheAppliedConfiguration) {
  const ConfState conf{{1, 2, 3}, {4}};
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kAddLearner, 5, ""}), Error::kOk);
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kAddLearner, 2, ""}), Error::kInvalidConfChange);
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kAddLearner, 4, ""}), Error::kInvalidConfChange);
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kPromoteLearner, 4, ""}), Error::kOk);
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kPromoteLearner, 3, ""}), Error::kInvalidConfChange);
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kRemoveNode, 4, ""}), Error::kOk);
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kRemoveNode, 9, ""}), Error::kUnknownNode);
  EXPECT_EQ(validate_conf_change(conf, {ConfChangeType::kAddLearner, kNoNode, ""}), Error::kInvalidConfChange);
  EXPECT_EQ(validate_conf_change(ConfState{{1}, {}}, {ConfChangeType::kRemoveNode, 1, ""}),
            Error::kInvalidConfChange);  // never the last voter
  EXPECT_EQ(apply_to(conf, {ConfChangeType::kPromoteLearner, 4, ""}), (ConfState{{1, 2, 3, 4}, {}}));
  EXPECT_EQ(apply_to(conf, {ConfChangeType::kRemoveNode, 2, ""}), (ConfState{{1, 3}, {4}}));
}

TEST(ReadOnly, OneRoundConfirmsEveryReadWaitingWhenItStarted) {
  ReadOnly ro;
  ro.add({"a", kNoNode});
  ro.add({"b", 3});
  EXPECT_TRUE(ro.ready_for_round());
  const std::string ctx = ro.start_round(7, 1);
  ro.add({"c", kNoNode});  // arrives after the round started: waits for the next one
  EXPECT_FALSE(ro.ready_for_round()) << "one round at a time: c waits until this one is confirmed";
  EXPECT_TRUE(ro.ack(ctx, 5, {1, 2, 3}).empty());  // not a voter
  const std::vector<ConfirmedRead> done = ro.ack(ctx, 2, {1, 2, 3});
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].index, 7u);
  EXPECT_EQ(done[1].request.from, 3u);
  EXPECT_TRUE(ro.ack(ctx, 3, {1, 2, 3}).empty());  // already confirmed
  EXPECT_TRUE(ro.ready_for_round());
  EXPECT_EQ(ro.take_all().size(), 1u);
}

TEST(ReadOnly, ANewerRoundConfirmsOlderOnes) {
  ReadOnly ro;
  ro.add({"a", kNoNode});
  const std::string first = ro.start_round(3, 1);
  ro.add({"b", kNoNode});
  const std::string second = ro.start_round(4, 1);
  EXPECT_NE(first, second);
  EXPECT_EQ(ro.latest_context(), second);
  EXPECT_EQ(ro.ack(second, 2, {1, 2, 3}).size(), 2u);
  EXPECT_EQ(ro.latest_context(), "");
}

}  // namespace
}  // namespace taskraft::raft

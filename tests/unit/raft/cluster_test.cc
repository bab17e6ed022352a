// End-to-end behaviour of a small cluster of cores: election, replication, commitment.
#include <gtest/gtest.h>

#include "cluster.h"

namespace taskraft::raft::testing {
namespace {

TEST(Cluster, ElectsOneLeaderAndReplicates) {
  Cluster c({1, 2, 3});
  c.elect(1);
  ASSERT_EQ(c.leader(), 1u);
  EXPECT_EQ(c[2].status().leader, 1u);
  EXPECT_EQ(c[1].propose("x").error, Error::kOk);
  c.stabilize();
  for (NodeId id : c.ids()) EXPECT_EQ(c.applied_data(id), std::vector<std::string>{"x"}) << id;
}

TEST(Cluster, TicksAloneElectALeader) {
  Cluster c({1, 2, 3});
  c.tick_all(25);
  const NodeId l = c.leader();
  ASSERT_NE(l, kNoNode);
  for (NodeId id : c.ids()) EXPECT_EQ(c[id].status().leader, l);
}

}  // namespace
}  // namespace taskraft::raft::testing

// pairing_problem(): which database and data dir a node refuses to start on.
#include "node/state_pairing.h"

#include <gtest/gtest.h>

namespace taskraft::node {
namespace {

TEST(StatePairing, ANewDataDirNeedsADatabaseThatHasAppliedNothing) {
  EXPECT_FALSE(pairing_problem(/*fresh_data_dir=*/true, /*db_applied=*/0, /*log_start=*/0));
  const auto problem = pairing_problem(true, 42, 0);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("applied the log up to index 42 but the data dir is new"), std::string::npos) << *problem;
  EXPECT_NE(problem->find("Replacing a dead node"), std::string::npos) << *problem;
}

TEST(StatePairing, AnOldDataDirNeedsADatabaseAtOrPastWhereItsLogWasCompacted) {
  EXPECT_FALSE(pairing_problem(false, 0, 0));
  EXPECT_FALSE(pairing_problem(false, 500, 500));    // the entries from 501 on are in the log
  EXPECT_FALSE(pairing_problem(false, 900, 500));    // a database ahead skips what it has
  const auto problem = pairing_problem(false, 499, 500);  // entry 500 is gone from the log
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("up to index 499 but this node's log was compacted up to index 500"), std::string::npos)
      << *problem;
  EXPECT_NE(problem->find("lost committed transactions"), std::string::npos) << *problem;
}

}  // namespace
}  // namespace taskraft::node

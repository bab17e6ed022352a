// A test with a fresh database, a Store on it and a log to append commands to.
#pragma once

#include <gtest/gtest.h>

#include "mysql_fixture.h"
#include "store/store.h"
#include "test_log.h"

namespace taskraft::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : dsn_(fresh_database()), store_(dsn_) {}

  // Appends `c` to the log, applies that entry alone and returns its outcome.
  Outcome run(const pb::Command& c) {
    const raft::Entry& e = log_.add(c);
    auto outcomes = store_.apply(std::span(&e, 1));
    EXPECT_EQ(outcomes.size(), 1u);
    return outcomes.front();
  }

  Dsn dsn_;
  Store store_;
  Log log_;
};

}  // namespace taskraft::store::testing

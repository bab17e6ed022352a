// Holds back the COMMIT of a store writing to a test database: another session takes the meta
// row's lock, so the store's UPDATE of that row (part of every commit) waits until release().
// For tests of what goes on while MySQL has not answered a commit yet.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "store/connection.h"
#include "store/dsn.h"

namespace taskraft::store::testing {

class MetaRowHold {
 public:
  explicit MetaRowHold(const Dsn& dsn) : c_(dsn), tx_(c_) { c_.query("SELECT applied_index FROM meta WHERE id = 1 FOR UPDATE"); }
  void release() { tx_.commit(); }
  // The id of the session waiting for the lock (waits up to 10 s for one to come).
  std::string waiting_session() {
    for (int i = 0; i < 1000; ++i) {
      auto r = c_.query("SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND DB = " +
                        c_.quote(c_.dsn().database) + " AND COMMAND = 'Query'");
      if (auto row = r.next()) return row->str(0);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no session waits for the meta row";
    return "0";
  }
  Connection& connection() { return c_; }

 private:
  Connection c_;
  Transaction tx_;
};

}  // namespace taskraft::store::testing

// Creates the user "admin" from --admin-password-file when a cluster is first bootstrapped.
//
// Runs on its own thread on every node started with the file: once this node leads and has
// caught up, it looks the user up and, if missing, proposes CreateUser through the log like any
// other write. A lost race between two leaders is harmless (the second gets 409 and changes
// nothing). It ends as soon as the user exists, or on stop().
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "store/dsn.h"

namespace taskraft::node {
class Node;
}

namespace taskraft::daemon {

class BootstrapAdmin {
 public:
  BootstrapAdmin(node::Node& node, store::Dsn mysql, std::string password);
  ~BootstrapAdmin();
  void stop();

 private:
  void run();

  node::Node& node_;
  store::Dsn dsn_;
  std::string password_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace taskraft::daemon

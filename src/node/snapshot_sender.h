// Sends a snapshot of this node's MySQL state to a follower that needs one.
//
// When the core asks for a snapshot (a kSnap message), the sender exports the store through a
// consistent-snapshot transaction on its own thread and connection (apply goes on meanwhile),
// rewrites the message's meta to the exported point (applied index, its term and membership:
// raft/raft.h lets the caller pick any applied point at or above the core's compaction point),
// and streams the file through the transport. `done` reports the outcome exactly once.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "raft/types.h"
#include "store/dsn.h"

namespace taskraft::transport {
class Transport;
}

namespace taskraft::node {

class SnapshotSender {
 public:
  SnapshotSender(store::Dsn mysql, std::filesystem::path out_dir, transport::Transport& transport);
  ~SnapshotSender();

  void start();
  void stop();
  void send(raft::Message snap, std::function<void(bool ok)> done);

 private:
  struct Job {
    raft::Message snap;
    std::function<void(bool ok)> done;
  };
  void run();
  void export_and_send(Job& job);

  store::Dsn dsn_;
  std::filesystem::path out_dir_;
  transport::Transport& transport_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::uint64_t next_file_ = 1;
  std::thread thread_;
};

}  // namespace taskraft::node

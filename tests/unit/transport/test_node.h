// Test helper: a Transport on a loopback IP, run by a thread of its own as a node's raft thread
// runs it, that records what it receives; plus message builders.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "raft/types.h"
#include "raw_socket.h"
#include "transport/transport.h"

namespace taskraft::transport::testing {

inline constexpr const char* kSecret = "correct horse battery staple";
inline constexpr std::chrono::seconds kPatience{15};  // a liveness bound, not a speed requirement

struct Received {
  raft::NodeId peer;
  std::vector<raft::Message> batch;
};

struct ReceivedSnapshot {
  raft::Message snap;
  std::string path;
  std::string contents;  // read inside the handler, before the test may touch the file
};

class TestNode {
 public:
  // Listens on ip:port (0 = any free port) with `secret`; `tweak` may adjust options before start.
  TestNode(raft::NodeId id, std::string ip, std::uint16_t port = 0, std::string secret = kSecret,
           const std::function<void(TransportOptions&)>& tweak = {});
  ~TestNode();

  Transport& transport() { return *transport_; }
  // Stops the thread that runs the transport, then the transport (which fails what is in flight).
  void stop();
  raft::NodeId id() const { return id_; }
  std::uint16_t port() const { return port_; }
  std::string address() const { return ip_ + ":" + std::to_string(port_); }
  const std::string& snapshot_dir() const { return dir_; }

  // Waits until `done` holds for what was received so far (checked under the lock), up to kPatience.
  bool wait_until(const std::function<bool(const std::vector<Received>&, const std::vector<ReceivedSnapshot>&)>& done);
  std::vector<Received> received();
  std::vector<raft::Message> received_messages();
  std::vector<ReceivedSnapshot> snapshots();

 private:
  raft::NodeId id_;
  std::string ip_;
  std::uint16_t port_;
  std::string dir_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Received> received_;
  std::vector<ReceivedSnapshot> snapshots_;
  std::atomic<bool> stopping_{false};
  std::thread runner_;
  std::unique_ptr<Transport> transport_;
};

// An AppendEntries-like message whose `index` identifies it.
raft::Message message(raft::NodeId from, raft::NodeId to, raft::Index index);

// Points `node`'s peer 2 at `listener`, gives it a message to send, and accepts the connection
// the node opens for it.
std::optional<RawListener::Accepted> accept_dial(TestNode& node, RawListener& listener);

// Polls `condition` until it holds or kPatience passes.
bool eventually(const std::function<bool()>& condition);

// Files in `dir` (names only).
std::vector<std::string> files_in(const std::string& dir);

}  // namespace taskraft::transport::testing

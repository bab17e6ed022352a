// A small HTTP/1.1 server for tests of the benchmark's event loop: Beast on 127.0.0.1 (a port
// the system picks), on a thread of its own, answering over kept-alive connections what a
// script says, after the delay it says.
//
// Guarantees: GET /healthz is always 200 and counted nowhere; every other request is numbered
// (1, 2, ... in arrival order), given to the script, and counted in requests(); in_flight_max()
// is the most requests read but not yet answered (or hung up on) at any one time; connections()
// counts accepted connections. The destructor stops the server and joins its thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "cli/node_address.h"

namespace taskraft::cli::test {

struct CannedReply {
  int status = 200;
  std::chrono::milliseconds delay{0};
  bool hang_up = false;  // close the connection instead of answering
  std::string body = "{}";
  std::string raft_index;  // X-Raft-Index, when not empty
};

struct CannedRequest {
  int number = 0;
  std::string method, target;
};

class CannedHttpServer {
 public:
  explicit CannedHttpServer(std::function<CannedReply(const CannedRequest&)> script);
  ~CannedHttpServer();

  NodeAddress address() const;
  int requests() const { return requests_; }
  int in_flight_max() const { return in_flight_max_; }
  int connections() const { return connections_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<int> requests_{0}, in_flight_{0}, in_flight_max_{0}, connections_{0};
};

}  // namespace taskraft::cli::test

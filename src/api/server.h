// The REST API of one node (API.md): an HTTP/1.1 server that every node runs.
//
// What it guarantees:
// - Every response carries X-Raft-Node, X-Raft-Leader (when known) and X-Raft-Index where a log
//   position applies; every error is application/problem+json.
// - Nothing invalid reaches node::Service::submit(): bodies, headers and parameters are checked
//   first (400/413/422); writes are proposed on the node they reach (a follower relays the
//   command to the leader: node/proposal_relay.h); membership operations reaching a follower are
//   forwarded to the leader, at most once.
// - Blocking work (MySQL reads, password hashing) runs on query threads, never on the io threads,
//   so a slow query or a slow client does not stall other clients.
// - stop() stops accepting, lets in-flight requests finish (bounded by the request deadline),
//   closes idle connections, and returns once no thread of the server runs any more.
//
// Threading: `limits.io_threads` io threads (HTTP, forwarding) and `limits.query_threads` query
// threads, all started by start(). Service callbacks may arrive on any thread.
#pragma once

#include <cstdint>
#include <memory>

#include "api/config.h"

namespace taskraft::api {

namespace metrics {
class Registry;
}

class Server {
 public:
  explicit Server(Config config);  // throws std::invalid_argument on a bad Config
  ~Server();                       // stop()s first
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Throws std::system_error when the address cannot
  // be bound. Called at most once.
  void start();
  // Idempotent; returns once every thread of the server has ended.
  void stop();

  // The bound port (after start()).
  std::uint16_t port() const;
  // The registry /metrics renders: the node may add its own gauges and counters here.
  metrics::Registry& metrics();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskraft::api

// How an api::Server is set up: where it listens, what it talks to, and the limits it enforces.
//
// Guarantees: every limit has a safe default; Server's constructor rejects a Config it cannot
// honour (unparsable address or DSN, empty signing key, zero threads) with std::invalid_argument,
// so a misconfigured node fails at startup, never at its first request.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "raft/types.h"
#include "store/dsn.h"

namespace taskraft::node {
class Service;
}

namespace taskraft::api {

struct Limits {
  std::size_t max_header_bytes = 16 * 1024;  // request line + headers; more → 431
  std::size_t max_body_bytes = 1024 * 1024;  // API.md: over 1 MiB → 413
  std::size_t max_connections = 1024;        // open client connections; more → 503 and close
  // A keep-alive connection may sit idle this long between requests.
  std::chrono::milliseconds idle_timeout{60'000};
  // Once a request's first byte arrived, its header and body must arrive within this.
  std::chrono::milliseconds read_timeout{15'000};
  std::chrono::milliseconds write_timeout{15'000};
  // How long a request may wait for the node (commit, read barrier) or the leader (forwarding).
  std::chrono::milliseconds request_deadline{10'000};
  std::chrono::seconds token_ttl{12 * 3600};
  int retry_after_seconds = 1;  // Retry-After of 503 answers
  // One io thread: HTTP work per request is short, and a second thread on the same io_context
  // hands work back and forth (measured on 2 cores, 3 nodes: cached gets 13-15k/s with 3 context
  // switches per request at 2 threads, 20-21k/s with 0.3 at 1; creates 10 -> 5 switches).
  int io_threads = 1;
  int query_threads = 4;  // each holds its own MySQL read connection
};

struct Config {
  std::string http_addr;  // "ip:port" to listen on; port 0 picks a free port (Server::port())
  node::Service& service;
  store::Dsn mysql;       // the node's database, for the read queries
  std::string token_key;  // bytes shared by every node of the cluster: tokens verify anywhere
  raft::NodeId node_id = raft::kNoNode;
  Limits limits = {};
};

}  // namespace taskraft::api

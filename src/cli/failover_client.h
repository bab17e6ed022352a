// Sends requests to a cluster, failing over between its nodes (API.md: every node serves every
// endpoint; followers pass writes on to the leader).
//
// Guarantees:
// - A request goes to one node at a time, over that node's kept-alive connection. It is sent to
//   the next node after a connection failure, a timeout, or a 502/503/504 answer; any other
//   answer is returned as it is. The next node is the leader the failed node named in
//   X-Raft-Leader when its address is known (learned from X-Raft-Node headers), otherwise the
//   next one in the list. After a round in which every node failed, it waits (backoff from
//   100 ms doubling to 1 s, at least Retry-After) before the next round.
// - A retry re-sends the very same request (method, target, headers, body): a write carrying an
//   Idempotency-Key therefore takes effect at most once, whichever node finally answers.
// - It never runs past the deadline; then it throws UnavailableError naming the last failure.
// - After an answer, later requests start at the leader when its address is known (saves the
//   follower's forwarding hop), else at the node that answered.
// Not thread-safe: one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "cli/http_connection.h"
#include "cli/http_message.h"
#include "cli/node_address.h"

namespace taskraft::cli {

struct FailoverOptions {
  std::chrono::milliseconds deadline{30'000};        // for one request, all retries included
  std::chrono::milliseconds request_timeout{12'000};  // for one attempt on one node
};

class FailoverClient {
 public:
  FailoverClient(std::vector<NodeAddress> nodes, FailoverOptions options);

  HttpResponse send(const HttpRequest& request);

 private:
  std::size_t next_after(std::size_t failed, std::optional<std::uint64_t> hint, const std::vector<bool>& tried) const;
  void remember(std::size_t index, const HttpResponse& response);

  std::vector<std::unique_ptr<HttpConnection>> connections_;
  std::map<std::uint64_t, std::size_t> index_of_id_;
  std::size_t current_ = 0;
  FailoverOptions options_;
};

}  // namespace taskraft::cli

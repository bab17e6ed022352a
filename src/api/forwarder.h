// The client a follower uses to pass a request on to the leader and bring back its answer, over
// kept-alive connections (one pool per leader address).
//
// Guarantees:
// - The forwarded request is the client's (method, target, body, end-to-end headers) plus
//   kForwardedHeader naming this node; hop-by-hop headers are dropped. The leader never forwards
//   it again, so a request crosses at most one hop whatever the nodes believe about leadership.
// - `done` runs exactly once, on an io thread, by the deadline: the leader's response (status,
//   body, end-to-end headers), or a sentence saying why none came.
// - A pooled connection is reused only after a complete exchange both sides left open, is
//   checked for a close by the leader before reuse, and is dropped after kIdleLimit unused.
//   A request whose reused connection broke before any answer is sent again on a fresh connection
//   only when it carries an Idempotency-Key (the leader then answers a duplicate from its record);
//   otherwise its outcome is unknown and the caller answers 503.
// Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "api/http_message.h"
#include "node/service.h"

namespace boost::asio {
class io_context;
}

namespace taskraft::api {

class Forwarder {
 public:
  static constexpr std::chrono::seconds kIdleLimit{30};
  using Done = std::function<void(std::variant<Response, std::string>)>;

  Forwarder(boost::asio::io_context& io, raft::NodeId self);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  void forward(const Request& request, const std::string& http_addr, node::Deadline deadline, Done done);
  void close_idle();  // drops every pooled connection (Server::stop)

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace taskraft::api

// What every route handler may use: the node, the query threads, the forwarding client, the
// cluster key, the limits, and a way back onto the io threads.
//
// Guarantees: everything referenced outlives every Call (the Server stops and drains requests
// before destroying any of them). on_io() wraps a node callback so that its work runs on an io
// thread: node threads are never made to wait on the API (service.h asks for this).
#pragma once

#include <functional>
#include <utility>

#include "api/config.h"
#include "raft/types.h"

namespace taskraft::node {
class Service;
}

namespace taskraft::api {

class Hmac;
class QueryPool;
class Forwarder;
namespace metrics {
class Registry;
}

struct Context {
  node::Service& service;
  QueryPool& queries;
  Forwarder& forwarder;
  const Hmac& key;
  const Limits& limits;
  raft::NodeId self;
  metrics::Registry& metrics;
  std::function<void(std::function<void()>)> post;  // runs a function on an io thread

  template <typename Result>
  std::function<void(Result)> on_io(std::function<void(Result)> fn) const {
    return [post = post, fn = std::move(fn)](Result r) {
      post([fn, r = std::move(r)]() mutable { fn(std::move(r)); });
    };
  }
};

}  // namespace taskraft::api

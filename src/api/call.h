// One request in flight, from the moment it was read until its answer is handed back.
//
// Routes, node callbacks and query threads all answer through reply(); the connection that
// created the Call learns the answer through its `send` function. Guarantees: reply() is called
// exactly once per Call (a second call is a bug, asserted), from any thread; the request, its
// deadline and (once authenticated) its identity do not change while the Call is shared.
#pragma once

#include <atomic>
#include <cassert>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.h"
#include "node/service.h"
#include "store/user.h"

namespace taskraft::api {

// Marks a request one node forwarded to the leader; such a request is never forwarded again.
inline constexpr std::string_view kForwardedHeader = "X-Taskraft-Forwarded-By";

struct Identity {
  std::string user;
  store::Role role = store::Role::kMember;
};

class Call {
 public:
  using Send = std::function<void(const Call&, Response)>;
  Call(Request request, node::Deadline deadline, Send send)
      : request_(std::move(request)), deadline_(deadline), send_(std::move(send)) {}

  const Request& request() const { return request_; }
  node::Deadline deadline() const { return deadline_; }
  bool forwarded() const { return request_.headers.get(kForwardedHeader).has_value(); }

  // Set by the pipeline before the route's handler runs.
  const std::string& route() const { return route_; }
  const std::vector<std::string>& params() const { return params_; }
  const Identity& identity() const { return identity_; }
  void set_route(std::string route, std::vector<std::string> params) {
    route_ = std::move(route);
    params_ = std::move(params);
  }
  void set_identity(Identity who) { identity_ = std::move(who); }

  void reply(Response r) {
    [[maybe_unused]] bool first = !replied_.exchange(true);
    assert(first && "a Call is answered exactly once");
    send_(*this, std::move(r));
  }

 private:
  Request request_;
  node::Deadline deadline_;
  Send send_;
  std::string route_ = "unmatched";
  std::vector<std::string> params_;
  Identity identity_;
  std::atomic<bool> replied_{false};
};

}  // namespace taskraft::api

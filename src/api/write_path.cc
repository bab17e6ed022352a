// Writes: proposing, answering, and forwarding to the leader (see write_path.h).
#include "api/write_path.h"

#include "api/call.h"
#include "api/context.h"
#include "api/forwarder.h"
#include "api/hmac.h"
#include "api/pipeline.h"
#include "api/problems.h"
#include "command.pb.h"

namespace taskraft::api {
namespace {

void unavailable(const Context& ctx, const std::shared_ptr<Call>& call, std::string detail) {
  call->reply(problem_response(problems::unavailable(std::move(detail)), ctx.limits.retry_after_seconds));
}

// This node does not lead and `leader` does (or nobody is known to).
void to_leader(const Context& ctx, const std::shared_ptr<Call>& call, const node::LeaderInfo& leader) {
  if (leader.id == raft::kNoNode) return unavailable(ctx, call, "no leader is known; retry shortly");
  if (call->forwarded()) {
    return unavailable(ctx, call, "this node does not lead and does not forward a forwarded request; node " +
                                      std::to_string(leader.id) + " leads");
  }
  if (leader.id == ctx.self) return unavailable(ctx, call, "leadership is changing hands; retry shortly");
  if (leader.http_addr.empty()) return unavailable(ctx, call, "the leader's address is not known yet; retry shortly");
  ctx.forwarder.forward(call->request(), leader.http_addr, call->deadline(),
                        [&ctx, call, id = leader.id](std::variant<Response, std::string> answer) {
                          if (auto* r = std::get_if<Response>(&answer)) return call->reply(std::move(*r));
                          unavailable(ctx, call, "forwarding to the leader (node " + std::to_string(id) +
                                                     ") failed: " + std::get<std::string>(answer));
                        });
}

std::string request_hash(const Context& ctx, const Request& r) {
  std::string message = r.method;
  for (std::string_view part : {r.path(), r.headers.get("If-Match").value_or(""), std::string_view(r.body)}) {
    message += '\0';
    message += part;
  }
  return ctx.key.mac("taskraft-request-v1", message);
}

}  // namespace

void on_leader(const Context& ctx, const std::shared_ptr<Call>& call, std::function<void()> here) {
  node::LeaderInfo leader = ctx.service.leader();
  if (leader.id == raft::kNoNode || leader.id == ctx.self) return here();
  to_leader(ctx, call, leader);
}

void answer_error(const Context& ctx, const std::shared_ptr<Call>& call, node::Error error, std::string_view message) {
  switch (error) {
    case node::Error::kOk:
      break;
    case node::Error::kNotLeader:
      return to_leader(ctx, call, ctx.service.leader());
    case node::Error::kNoLeader:
      return unavailable(ctx, call, "no leader is known (an election is under way or this node is cut off); retry shortly");
    case node::Error::kTimeout:
      if (call->request().method == "GET") {
        return unavailable(ctx, call, "the read could not be served within the request deadline (no quorum confirmed "
                                      "the leader, or this node has not applied up to min_index); retry shortly");
      }
      return unavailable(ctx, call, "the cluster did not answer within the request deadline; a write's outcome is "
                                    "unknown: retry it with the same Idempotency-Key");
    case node::Error::kStopping:
      return unavailable(ctx, call, "this node is shutting down");
    case node::Error::kStoreDown:
      return unavailable(ctx, call, "this node's database is unavailable or behind");
    case node::Error::kRejected:
      return call->reply(problem_response(problems::rejected(std::string(message))));
    case node::Error::kUnknownMember:
      return call->reply(problem_response(problems::not_found("no member with that id is in the configuration")));
    case node::Error::kBeyondLog:
      return call->reply(problem_response(problems::invalid_query({{"min_index", std::string(message)}})));
  }
  assert(false && "answer_error with kOk");
}

void propose(const Context& ctx, const std::shared_ptr<Call>& call, commandpb::Command cmd, void (*finish)(Response&)) {
  const Request& r = call->request();
  cmd.set_version(commandpb::FORMAT_VERSION_1);
  cmd.set_at_ms(now_ms());  // this node's wall clock
  cmd.set_actor(call->identity().user);
  // The hash matters only to a retry with the same key (the state machine compares it with the
  // key's record); without a key it would be an HMAC per write and 32 bytes in every log entry.
  if (auto key = r.headers.get("Idempotency-Key")) {
    cmd.set_idempotency_key(std::string(*key));
    cmd.set_request_hash(request_hash(ctx, r));
  }
  ctx.service.submit(std::move(cmd), call->deadline(),
                     ctx.on_io<node::WriteResult>([&ctx, call, finish](node::WriteResult result) {
                       if (result.error != node::Error::kOk) return answer_error(ctx, call, result.error);
                       if (result.outcome.http_status == 0) {
                         return call->reply(problem_response(problems::internal("the command had no answer")));
                       }
                       Response response = outcome_response(result.outcome);
                       response.headers.set("X-Raft-Index", std::to_string(result.index));
                       if (finish) finish(response);
                       call->reply(std::move(response));
                     }));
}

}  // namespace taskraft::api

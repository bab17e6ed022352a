// The cluster routes of API.md: GET /v1/cluster, and the admin operations (add and remove a
// member, transfer leadership), which only the leader performs: a follower forwards them.
//
// Guarantees: GET /v1/cluster shows this node's view (node::ClusterView) in API.md's shape and
// needs no round trip; an admin operation answers once the node reports it done (200 with the
// cluster view, or 204 for a removal), 409 when the core refuses it, 503 when no leader acts.
#include <boost/json.hpp>

#include "api/call.h"
#include "api/context.h"
#include "api/member_input.h"
#include "api/problems.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/write_path.h"

namespace taskraft::api {
namespace {

Response cluster_answer(const Context& ctx) {
  node::ClusterView v = ctx.service.cluster();
  boost::json::array nodes;
  for (const node::MemberView& m : v.nodes) {
    nodes.push_back({{"id", m.id},
                     {"peer_addr", m.peer_addr},
                     {"http_addr", m.http_addr},
                     {"role", m.role},
                     {"voter", m.voter},
                     {"reachable", m.reachable},
                     {"match_index", m.match_index},
                     {"applied_index", m.applied_index}});
  }
  boost::json::object o;
  o["cluster_id"] = v.cluster_id;
  o["leader_id"] = v.leader_id == raft::kNoNode ? boost::json::value(nullptr) : boost::json::value(v.leader_id);
  o["term"] = v.term;
  o["commit_index"] = v.commit_index;
  o["nodes"] = std::move(nodes);
  Response r = json_response(200, boost::json::serialize(o));
  r.headers.set("X-Raft-Index", std::to_string(v.applied_index));
  return r;
}

// Runs an admin operation on the leader; `success` answers its kOk.
using AdminOp = std::function<void(node::Deadline, std::function<void(node::AdminResult)>)>;
void admin(const Context& ctx, const std::shared_ptr<Call>& call, AdminOp op, Response (*success)(const Context&)) {
  on_leader(ctx, call, [&ctx, call, op = std::move(op), success] {
    op(call->deadline(), ctx.on_io<node::AdminResult>([&ctx, call, success](node::AdminResult result) {
      if (result.error != node::Error::kOk) return answer_error(ctx, call, result.error, result.message);
      call->reply(success(ctx));
    }));
  });
}

void get_cluster(const Context& ctx, const std::shared_ptr<Call>& call) { call->reply(cluster_answer(ctx)); }

void add_member(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto member = take(call, new_member_body(call->request().body));
  if (!member) return;
  admin(ctx, call, [&ctx, m = std::move(*member)](node::Deadline deadline, auto done) {
    ctx.service.add_member(m.id, m.peer_addr, m.http_addr, deadline, std::move(done));
  }, cluster_answer);
}

void remove_member(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto id = id_param(*call);
  if (!id) return call->reply(problem_response(problems::not_found("no member " + problems::quote(call->params().at(0)))));
  admin(ctx, call, [&ctx, id = *id](node::Deadline deadline, auto done) {
    ctx.service.remove_member(id, deadline, std::move(done));
  }, [](const Context&) { return Response{204, {}, "", ""}; });
}

void transfer_leader(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto to = take(call, transfer_body(call->request().body));
  if (!to) return;
  admin(ctx, call, [&ctx, to = *to](node::Deadline deadline, auto done) {
    ctx.service.transfer_leader(to, deadline, std::move(done));
  }, cluster_answer);
}

}  // namespace

std::vector<Route> cluster_routes() {
  return {
      {"GET", "/v1/cluster", Access::kUser, get_cluster},
      {"POST", "/v1/cluster/members", Access::kAdmin, add_member},
      {"DELETE", "/v1/cluster/members/{id}", Access::kAdmin, remove_member},
      {"POST", "/v1/cluster/transfer-leader", Access::kAdmin, transfer_leader},
  };
}

}  // namespace taskraft::api

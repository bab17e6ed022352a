// The first start of a node given --join: it asks a running member for the cluster's id and
// then to add this node as a learner (API.md: POST /v1/cluster/members), authenticated with an
// admin token it signs with the shared cluster secret. The leader promotes it once caught up.
// A node an admin already added (same id and peer address) is not asked for again.
//
// Each function throws std::runtime_error with one line for the operator when the member cannot
// be reached or refuses.
#pragma once

#include <string>

#include "node/node.h"
#include "raft/types.h"

namespace taskraft::daemon {

// The cluster's id and its members' addresses, as GET /v1/cluster of `member_url` shows them.
node::JoinInfo fetch_join_info(const std::string& member_url, const std::string& token);
void request_membership(const std::string& member_url, const std::string& token, raft::NodeId id,
                        const std::string& peer_addr, const std::string& http_addr);

}  // namespace taskraft::daemon

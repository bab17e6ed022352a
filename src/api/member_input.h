// The bodies of the cluster admin operations: POST /v1/cluster/members {"id","peer_addr",
// "http_addr"} and POST /v1/cluster/transfer-leader {"to"}.
//
// Guarantees: ids are positive integers and addresses are host:port (address.h); otherwise
// 400 (malformed JSON) or 422 naming each bad field.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "raft/types.h"
#include "store/problem.h"

namespace taskraft::api {

struct NewMember {
  raft::NodeId id = raft::kNoNode;
  std::string peer_addr;
  std::string http_addr;
};

std::variant<NewMember, store::Problem> new_member_body(std::string_view body);
std::variant<raft::NodeId, store::Problem> transfer_body(std::string_view body);

}  // namespace taskraft::api

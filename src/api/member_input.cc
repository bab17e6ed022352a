// Cluster admin bodies (see member_input.h).
#include "api/member_input.h"

#include "api/address.h"
#include "api/json_fields.h"

namespace taskraft::api {
namespace {

std::string read_address(JsonFields& f, std::string_view name) {
  f.require(name);
  auto text = f.string(name);
  if (text && !split_host_port(*text)) f.error(name, "must be host:port");
  return text.value_or("");
}

raft::NodeId read_id(JsonFields& f, std::string_view name) {
  f.require(name);
  return f.positive_integer(name).value_or(raft::kNoNode);
}

}  // namespace

std::variant<NewMember, store::Problem> new_member_body(std::string_view body) {
  return read_body(body, [](JsonFields& f) {
    f.check_names({"id", "peer_addr", "http_addr"});
    raft::NodeId id = read_id(f, "id");
    std::string peer = read_address(f, "peer_addr");
    return NewMember{id, std::move(peer), read_address(f, "http_addr")};
  });
}

std::variant<raft::NodeId, store::Problem> transfer_body(std::string_view body) {
  return read_body(body, [](JsonFields& f) {
    f.check_names({"to"});
    return read_id(f, "to");
  });
}

}  // namespace taskraft::api

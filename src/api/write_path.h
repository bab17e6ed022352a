// The life of a write in the API layer (DESIGN.md): fill in everything non-deterministic; propose
// it on the node the client reached (a follower's raft thread relays the command to the leader
// over the peer link: node/proposal_relay.h); answer with the outcome the state machine decided.
// Membership operations run on the leader only: on_leader() forwards their HTTP request there.
//
// Guarantees:
// - on_leader() runs its work only on a node that does not know of another leader; otherwise
//   the request is forwarded, at most once (a forwarded request that lands on a non-leader gets
//   503 with the leader hint instead of a second hop).
// - The proposed Command carries the proposing node's wall clock (at_ms; the state machine never
//   lets the log's time go back, whatever a node's clock says), the caller (actor) and, when the
//   request has an Idempotency-Key, the key and a keyed hash of method, path, If-Match and body,
//   so a retry with the same key and request gets the first answer, and the same key with
//   another request gets 422.
// - Every Service error gets its answer: kNotLeader (the write never took effect) forwards the
//   request to the leader (or 503); kNoLeader, kTimeout, kStopping and kStoreDown are 503 with
//   Retry-After, kRejected is 409, kUnknownMember 404 and kBeyondLog (a read's min_index not yet
//   committed) 400 naming min_index.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "node/service.h"

namespace taskraft::commandpb {
class Command;
}

namespace taskraft::api {

struct Context;
class Call;
struct Response;

// Calls `here` when this node may act for the leader (it leads, or no leader is known and the
// Service will say so); forwards the request to the leader otherwise.
void on_leader(const Context& ctx, const std::shared_ptr<Call>& call, std::function<void()> here);

// Answers a Service error (anything but kOk); a timeout of a read (GET) is not described as a write.
void answer_error(const Context& ctx, const std::shared_ptr<Call>& call, node::Error error, std::string_view message = {});

// Proposes `cmd` (its op set by the caller) and answers with the outcome, after `finish` (which
// may add headers such as Location and ETag).
void propose(const Context& ctx, const std::shared_ptr<Call>& call, commandpb::Command cmd,
             void (*finish)(Response&) = nullptr);

}  // namespace taskraft::api

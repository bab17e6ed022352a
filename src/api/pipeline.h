// The one path every request takes, whatever its route: match the route (404/405), check the
// bearer token (401) and the role (403), check the headers a write carries (422), then run the
// route's handler, whose exceptions become 500. And the headers every response carries.
//
// Guarantees: a handler runs only for an authenticated caller with the role its route needs
// (except public routes), with its path parameters and identity set on the Call; every response
// leaving the server has X-Raft-Node, and X-Raft-Leader when a leader is known.
#pragma once

#include <cstdint>
#include <memory>

namespace taskraft::api {

struct Context;
class Call;
class Router;
struct Response;

void handle(const Context& ctx, const Router& router, const std::shared_ptr<Call>& call);

// Sets X-Raft-Node to this node and, unless the response already names one (a relayed answer of
// the leader does), X-Raft-Leader to the leader this node knows.
void stamp_raft_headers(const Context& ctx, Response& r);

// Milliseconds since the Unix epoch (token expiry is wall-clock time).
std::int64_t now_ms();

}  // namespace taskraft::api

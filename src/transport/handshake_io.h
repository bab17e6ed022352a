// Runs the handshake (handshake.h) over a connected socket, as client or as server.
//
// Internal. Guarantees: each function either returns with the peer authenticated (it proved the
// cluster secret over our fresh nonce) or throws; the server reads nothing but handshake frames,
// each at most kMaxHandshakeFrameBytes, before the client has proved itself, so nothing an
// unauthenticated peer sends is ever acted on. The whole exchange is bounded by `deadline`.
#pragma once

#include "raft/types.h"
#include "transport/handshake.h"
#include "transport/link_context.h"
#include "transport/net.h"

namespace taskraft::transport {

struct AuthenticatedPeer {
  raft::NodeId id = raft::kNoNode;
  Purpose purpose = Purpose::kMessages;
};

// We connected to the node we believe is `server`; it must prove the secret and be that node.
Awaitable<void> authenticate_as_client(tcp::socket& socket, const LinkContext& ctx, raft::NodeId server,
                                       Purpose purpose, Clock::time_point deadline);

// A peer connected to us; it must prove the secret. Returns who it is and what it wants.
Awaitable<AuthenticatedPeer> authenticate_as_server(tcp::socket& socket, const LinkContext& ctx,
                                                    Clock::time_point deadline);

}  // namespace taskraft::transport

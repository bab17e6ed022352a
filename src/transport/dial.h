// Opening an authenticated connection to a peer from this node's own peer IP.
//
// Internal. Guarantees: the socket is bound to <our peer IP>:0 before it connects, so the peer
// (and any firewall between node addresses) sees the connection come from our node address; on
// return the peer has proved the cluster secret and is node `peer`. Connect and handshake together
// are bounded by options.handshake_timeout, and once connected, data the peer leaves unacknowledged
// for options.idle_timeout breaks the connection (TCP_USER_TIMEOUT). Throws on failure.
#pragma once

#include "raft/types.h"
#include "transport/handshake.h"
#include "transport/link_context.h"
#include "transport/net.h"

namespace taskraft::transport {

Awaitable<void> dial(tcp::socket& socket, const LinkContext& ctx, raft::NodeId peer, const tcp::endpoint& remote,
                     Purpose purpose);

}  // namespace taskraft::transport

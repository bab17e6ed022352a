// Receiving one snapshot stream (snapshot_protocol.h) on an authenticated connection.
//
// Internal. Guarantees: chunks are written to an IncomingFile and acknowledged once written; the
// snapshot handler is called only after the whole stream arrived, its size and SHA-256 match what
// the sender announced, and the file is durable under its final name. Any failure (broken stream,
// too many bytes, mismatch, timeout) throws and leaves no file behind. A snapshot whose message is
// not from the authenticated peer to us is refused. Runs on the io thread.
#pragma once

#include "raft/types.h"
#include "transport/link_context.h"
#include "transport/net.h"

namespace taskraft::transport {

Awaitable<void> receive_snapshot(tcp::socket& socket, LinkContext& ctx, raft::NodeId peer);

}  // namespace taskraft::transport

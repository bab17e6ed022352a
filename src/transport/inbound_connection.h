// InboundConnection: a connection a peer opened to us, from accept to close.
//
// Internal. It authenticates the peer (handshake_io.h), then either delivers the peer's message
// batches to options.on_messages or receives one snapshot (snapshot_receiver.h). Guarantees:
// nothing is delivered before the handshake succeeds; a malformed, oversized or unexpected frame
// closes the connection (logged, counted in protocol_errors); messages whose `from` is not the
// authenticated peer, or whose `to` is not us, are dropped (logged, counted); a connection that is
// silent longer than options.idle_timeout is closed. All of it runs on the io thread.
#pragma once

#include <functional>
#include <memory>

#include "raft/types.h"
#include "transport/link_context.h"
#include "transport/net.h"

namespace taskraft::transport {

class InboundConnection : public std::enable_shared_from_this<InboundConnection> {
 public:
  // `on_finished` runs on the io thread when the connection has closed.
  InboundConnection(tcp::socket socket, LinkContext& ctx, std::function<void(InboundConnection*)> on_finished);

  void start();
  void close();

 private:
  Awaitable<void> run();
  Awaitable<void> receive_messages(raft::NodeId peer);

  tcp::socket socket_;
  LinkContext& ctx_;
  std::function<void(InboundConnection*)> on_finished_;
};

}  // namespace taskraft::transport

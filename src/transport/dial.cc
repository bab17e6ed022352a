// Implements dial.h.
#include "transport/dial.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "transport/frame_io.h"
#include "transport/handshake_io.h"

namespace taskraft::transport {

Awaitable<void> dial(tcp::socket& socket, const LinkContext& ctx, raft::NodeId peer, const tcp::endpoint& remote,
                     Purpose purpose) {
  const auto deadline = Clock::now() + ctx.options.handshake_timeout;
  boost::system::error_code ec;
  socket.close(ec);
  socket.open(remote.protocol(), ec);
  if (!ec) socket.bind(tcp::endpoint(ctx.self_ip, 0), ec);
  if (ec) throw LinkError("cannot bind to our peer IP " + ctx.self_ip.to_string() + ": " + ec.message());
  co_await connect_socket(socket, remote, deadline);
  socket.set_option(tcp::no_delay(true), ec);
  // Data unacknowledged for this long kills the connection: a peer cut off by a firewall that
  // drops packets is noticed (our pings go unacknowledged) instead of buffering for many minutes.
  const unsigned user_timeout_ms = static_cast<unsigned>(ctx.options.idle_timeout.count());
  ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
  co_await authenticate_as_client(socket, ctx, peer, purpose, deadline);
}

}  // namespace taskraft::transport

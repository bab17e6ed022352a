// Implements inbound_connection.h.
#include "transport/inbound_connection.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <sstream>

#include "transport/frame_io.h"
#include "transport/handshake_io.h"
#include "transport/snapshot_receiver.h"
#include "wire/raft_codec.h"

namespace taskraft::transport {
namespace {

std::string describe(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return "an unknown address";
  std::ostringstream out;
  out << remote;
  return out.str();
}

}  // namespace

InboundConnection::InboundConnection(tcp::socket socket, LinkContext& ctx,
                                     std::function<void(InboundConnection*)> on_finished)
    : socket_(std::move(socket)), ctx_(ctx), on_finished_(std::move(on_finished)) {}

void InboundConnection::start() {
  asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void InboundConnection::close() {
  boost::system::error_code ec;
  socket_.close(ec);
}

Awaitable<void> InboundConnection::run() {
  const auto self = ctx_.options.self;
  const std::string remote = describe(socket_);
  AuthenticatedPeer peer;
  bool authenticated = false;
  try {
    peer = co_await authenticate_as_server(socket_, ctx_, Clock::now() + ctx_.options.handshake_timeout);
    authenticated = true;
  } catch (const std::exception& e) {
    ++ctx_.failed_handshakes;
    spdlog::warn("transport {}: refused connection from {}: {}", self, remote, e.what());
  }
  if (authenticated) {
    spdlog::debug("transport {}: node {} connected from {}", self, peer.id, remote);
    try {
      if (peer.purpose == Purpose::kMessages) {
        co_await receive_messages(peer.id);
      } else {
        co_await receive_snapshot(socket_, ctx_, peer.id);
      }
    } catch (const ProtocolError& e) {
      ++ctx_.protocol_errors;
      spdlog::warn("transport {}: closing connection from node {} at {}: {}", self, peer.id, remote, e.what());
    } catch (const std::exception& e) {
      spdlog::info("transport {}: connection from node {} at {} ended: {}", self, peer.id, remote, e.what());
    }
  }
  close();
  on_finished_(this);
}

Awaitable<void> InboundConnection::receive_messages(raft::NodeId peer) {
  const auto& o = ctx_.options;
  FrameReader reader(socket_, o.max_frame_bytes);
  for (;;) {
    Frame frame = co_await reader.read(ctx_.idle_deadline());
    if (frame.type == FrameType::kPing) continue;
    if (frame.type != FrameType::kMessages) {
      throw ProtocolError(std::string("unexpected ") + to_string(frame.type) + " frame on a message connection");
    }
    auto batch = wire::decode_messages(frame.payload);
    if (!batch) throw ProtocolError("undecodable message batch");
    std::vector<raft::Message> accepted;
    accepted.reserve(batch->size());
    for (auto& m : *batch) {
      if (m.from == peer && m.to == o.self) {
        accepted.push_back(std::move(m));
      } else {
        ++ctx_.dropped_misaddressed;
        spdlog::warn("transport {}: dropped a message from node {} claiming from={} to={}", o.self, peer, m.from, m.to);
      }
    }
    if (!accepted.empty()) o.on_messages(peer, std::move(accepted));
  }
}

}  // namespace taskraft::transport

// Implements peer_link.h.
#include "transport/peer_link.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <cassert>

#include "transport/backoff.h"
#include "transport/dial.h"
#include "transport/frame_io.h"
#include "transport/send_now.h"

namespace taskraft::transport {

PeerLink::PeerLink(asio::io_context& io, LinkContext& ctx, raft::NodeId peer, std::string address,
                   tcp::endpoint remote)
    : io_(io), ctx_(ctx), peer_(peer), address_(std::move(address)), remote_(remote), socket_(io), wake_(io),
      backoff_(io) {
  stats_.id = peer_;
  stats_.address = address_;
}

void PeerLink::start() {
  asio::co_spawn(io_, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void PeerLink::stop() {
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kStopped) return;
    state_ = State::kStopped;
    for (const auto& f : queue_) dropped += f.messages;
    queue_.clear();
    stats_.dropped_messages += dropped;
    stats_.queued_bytes = 0;
  }
  // enqueue() writes nothing once stopped; close_socket() withdraws the descriptor.
  asio::post(io_, [self = shared_from_this()] {
    self->close_socket();
    self->wake_.cancel();
    self->backoff_.cancel();
  });
}

void PeerLink::enqueue(EncodedFrame frame) {
  const auto& o = ctx_.options;
  bool nudge = false;
  {
    std::lock_guard lock(mu_);
    const bool reachable = state_ == State::kConnecting || state_ == State::kConnected;
    if (!reachable || queue_.size() >= o.max_queued_frames ||
        stats_.queued_bytes + frame.bytes.size() > o.max_queued_bytes) {
      stats_.dropped_messages += frame.messages;
      return;
    }
    if (writer_idle_ && direct_fd_ >= 0) {
      // Nothing is queued or being written: as far as the send buffer takes it, the frame goes
      // out from this thread, sparing the io thread a wake-up. The rest, if any, is queued first.
      const std::size_t sent = send_now(direct_fd_, frame.bytes);
      if (sent == frame.bytes.size()) {
        ++stats_.sent_frames;
        stats_.sent_messages += frame.messages;
        return;
      }
      frame.bytes.erase(0, sent);
    }
    stats_.queued_bytes += frame.bytes.size();
    queue_.push_back(std::move(frame));
    nudge = std::exchange(writer_idle_, false);
  }
  if (nudge) asio::post(io_, [self = shared_from_this()] { self->wake_.cancel(); });
}

void PeerLink::close_socket() {
  {
    std::lock_guard lock(mu_);
    direct_fd_ = -1;  // under the lock, so no direct write is using the descriptor while it closes
  }
  boost::system::error_code ignored;
  socket_.close(ignored);
}

bool PeerLink::claim_idle_writer() {
  std::lock_guard lock(mu_);
  return std::exchange(writer_idle_, false);
}

void PeerLink::count_dropped(std::size_t messages) {
  std::lock_guard lock(mu_);
  stats_.dropped_messages += messages;
}

PeerStats PeerLink::stats() const {
  std::lock_guard lock(mu_);
  PeerStats out = stats_;
  out.connected = state_ == State::kConnected;
  out.queued_frames = queue_.size();
  return out;
}

bool PeerLink::stopped() const {
  std::lock_guard lock(mu_);
  return state_ == State::kStopped;
}

bool PeerLink::begin_attempt() {
  std::lock_guard lock(mu_);
  if (state_ == State::kStopped) return false;
  state_ = State::kConnecting;
  return true;
}

bool PeerLink::connected() {
  std::lock_guard lock(mu_);
  if (state_ == State::kStopped) return false;
  state_ = State::kConnected;
  direct_fd_ = socket_.native_handle();
  ++stats_.connects;
  return true;
}

// Drops what was queued or in flight; returns false once the link is stopped.
bool PeerLink::connection_lost(const std::string& error) {
  std::lock_guard lock(mu_);
  std::size_t dropped = in_flight_messages_;
  for (const auto& f : queue_) dropped += f.messages;
  queue_.clear();
  in_flight_messages_ = 0;
  writer_idle_ = false;
  stats_.queued_bytes = 0;
  stats_.dropped_messages += dropped;
  if (state_ == State::kStopped) return false;
  stats_.last_error = error;
  state_ = State::kBackoff;
  return true;
}

std::vector<EncodedFrame> PeerLink::take_queue() {
  std::lock_guard lock(mu_);
  std::vector<EncodedFrame> frames(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  stats_.queued_bytes = 0;
  writer_idle_ = frames.empty();
  in_flight_messages_ = 0;
  for (const auto& f : frames) in_flight_messages_ += f.messages;
  return frames;
}

Awaitable<void> PeerLink::run() {
  const auto self = ctx_.options.self;
  Backoff backoff(ctx_.options.backoff_initial, ctx_.options.backoff_max);
  bool was_connected = true;  // so that the first failure is logged
  while (begin_attempt()) {
    std::string error;
    try {
      co_await dial(socket_, ctx_, peer_, remote_, Purpose::kMessages);
      if (connected()) {
        backoff.reset();
        was_connected = true;
        spdlog::info("transport {}: connected to node {} at {}", self, peer_, address_);
        co_await carry();
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    close_socket();
    if (!connection_lost(error)) break;
    if (was_connected) {
      spdlog::warn("transport {}: link to node {} at {} down: {}", self, peer_, address_, error);
    } else {
      spdlog::debug("transport {}: node {} at {} still unreachable: {}", self, peer_, address_, error);
    }
    was_connected = false;
    backoff_.expires_after(backoff.next());
    co_await backoff_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  spdlog::debug("transport {}: link to node {} stopped", self, peer_);
}

// Writes frames and watches for the peer closing, until either fails (throws) or the link stops.
Awaitable<void> PeerLink::carry() {
  auto ex = co_await asio::this_coro::executor;
  auto [order, write_error, watch_error] =
      co_await asio::experimental::make_parallel_group(
          asio::co_spawn(ex, write_loop(), asio::deferred), asio::co_spawn(ex, watch_for_close(), asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  const auto first = order[0] == 0 ? write_error : watch_error;
  if (first) std::rethrow_exception(first);
}

Awaitable<void> PeerLink::write_loop() {
  const auto& o = ctx_.options;
  const std::string ping = make_frame(FrameType::kPing, "");
  for (;;) {
    std::vector<EncodedFrame> frames = take_queue();
    if (stopped()) co_return;
    if (!socket_.is_open()) throw LinkError("connection closed");
    if (frames.empty()) {
      wake_.expires_after(o.keepalive_interval);
      auto [ec] = co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
      // Direct writes may be going on while the writer is idle: it claims the socket first.
      if (!ec && claim_idle_writer()) co_await write_frame(socket_, ping, ctx_.idle_deadline());
      continue;
    }
    std::vector<std::string> bytes;
    bytes.reserve(frames.size());
    for (auto& f : frames) bytes.push_back(std::move(f.bytes));
    co_await write_frames(socket_, bytes, ctx_.idle_deadline());
    std::lock_guard lock(mu_);
    stats_.sent_frames += frames.size();
    stats_.sent_messages += in_flight_messages_;
    in_flight_messages_ = 0;
  }
}

// The peer never writes on a message connection after the handshake: any read completion means
// it closed the connection or broke the protocol.
Awaitable<void> PeerLink::watch_for_close() {
  char byte;
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(&byte, 1), asio::as_tuple(asio::use_awaitable));
  close_socket();
  wake_.cancel();
  if (ec == asio::error::eof) throw LinkError("peer closed the connection");
  if (ec) throw LinkError(ec.message());
  throw ProtocolError("peer wrote on a one-way message connection");
}

}  // namespace taskraft::transport

// PeerLink: our outgoing message connection to one peer, with its bounded queue.
//
// Internal. One coroutine per link connects (dial.h), writes queued frames in order, sends a ping
// when idle, and on any failure drops what was queued or in flight, waits a backoff delay and
// reconnects, until stop(). While that writer is idle (nothing queued, nothing being written),
// enqueue() writes the frame itself, non-blocking, on the calling thread, and queues only what the
// socket did not take: the usual small Raft message then costs no wake-up of the io thread.
// Guarantees: the queue never holds more than max_queued_frames frames or max_queued_bytes bytes;
// every message handed to enqueue() is counted exactly once, as sent (written to the socket) or as
// dropped; frames are written in enqueue order and never interleave (a direct write and the
// writer's exclusion is decided under one mutex, and the descriptor is closed only after it is
// withdrawn under that mutex). enqueue(), stop() and stats() are thread-safe; everything else
// runs on the io thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "raft/types.h"
#include "transport/batching.h"
#include "transport/link_context.h"
#include "transport/net.h"
#include "transport/transport.h"

namespace taskraft::transport {

class PeerLink : public std::enable_shared_from_this<PeerLink> {
 public:
  PeerLink(asio::io_context& io, LinkContext& ctx, raft::NodeId peer, std::string address, tcp::endpoint remote);

  void start();
  void stop();

  // Queues a frame, or drops and counts it when the queue is full or the peer is unreachable.
  void enqueue(EncodedFrame frame);
  void count_dropped(std::size_t messages);

  PeerStats stats() const;
  const std::string& address() const { return address_; }
  const tcp::endpoint& remote() const { return remote_; }

 private:
  enum class State { kConnecting, kConnected, kBackoff, kStopped };

  Awaitable<void> run();
  Awaitable<void> carry();
  Awaitable<void> write_loop();
  Awaitable<void> watch_for_close();

  bool begin_attempt();
  bool connected();
  bool connection_lost(const std::string& error);
  std::vector<EncodedFrame> take_queue();
  bool stopped() const;
  void close_socket();
  // The idle writer wants the socket for a ping: false if a frame was queued meanwhile.
  bool claim_idle_writer();

  asio::io_context& io_;
  LinkContext& ctx_;
  const raft::NodeId peer_;
  const std::string address_;
  const tcp::endpoint remote_;
  tcp::socket socket_;
  asio::steady_timer wake_;     // the writer waits on it for frames or the keepalive interval
  asio::steady_timer backoff_;  // the delay before the next connection attempt

  mutable std::mutex mu_;  // guards everything below
  State state_ = State::kConnecting;
  bool writer_idle_ = false;  // the writer waits on wake_ and needs a nudge for new frames
  int direct_fd_ = -1;        // the connected socket, for enqueue() to write to while the writer idles
  std::deque<EncodedFrame> queue_;
  std::size_t in_flight_messages_ = 0;
  PeerStats stats_;
};

}  // namespace taskraft::transport

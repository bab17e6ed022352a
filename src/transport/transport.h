// Transport: the node's links to its peers over TCP. It carries Raft message batches and snapshot
// files between authenticated nodes of one cluster.
//
// Guarantees:
// - send() and send_snapshot() never block the caller on the network. Messages are grouped per
//   destination, batched into frames and queued in a bounded queue per peer; when the queue is
//   full, the peer is unreachable (waiting to reconnect) or unknown, messages are dropped and
//   counted. Delivery is best effort, like the network Raft assumes: Raft retransmits.
// - Batches from one peer are delivered in the order that peer sent them, on one connection;
//   a reconnect may lose what was queued or in flight, never reorder or duplicate within a connection.
// - Only peers that prove knowledge of the cluster secret (handshake.h) get a connection; nothing
//   a connection sends before it has authenticated is acted on, and a message whose `from` is not
//   the authenticated peer is dropped.
// - Outgoing connections originate from this node's own peer IP (bound to ip:0 before connecting),
//   so firewall rules between node addresses partition nodes for real.
// - A snapshot handler only ever sees a complete file whose size and SHA-256 match the sender's.
//
// Threading: the transport has no thread of its own. Its network work (reading and decoding
// frames, handshakes, keepalives, reconnects, snapshot streams) runs inside run(), on the one
// thread that calls it (the "io thread" of the transport's other files): the node's raft
// thread, so that a received frame reaches the Raft core without waking another thread. Both
// handlers and every `done` callback run inside run() (or inside stop()), one at a time; they
// must not call run(), stop() or destroy the Transport, and may call every other method. Those
// methods are thread-safe; send() writes what the socket takes at once on the calling thread
// (peer_link.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "raft/types.h"

namespace taskraft::transport {

// A peer's received message batch, one call per frame; every message's `from` is `peer`.
using MessageHandler = std::function<void(raft::NodeId peer, std::vector<raft::Message> batch)>;

// A received snapshot: the kSnap message and the path of the complete, verified file in the
// snapshot directory. The file now belongs to the handler (move it or delete it when done).
using SnapshotHandler = std::function<void(raft::Message snap, std::string file_path)>;

struct TransportOptions {
  raft::NodeId self = raft::kNoNode;
  std::string peer_addr;       // "ip:port": where we listen, and the IP our connections come from
  std::string cluster_secret;  // the exact bytes of the secret file; must not be empty
  std::string snapshot_dir;    // where incoming snapshots are written; created if missing
  MessageHandler on_messages;
  SnapshotHandler on_snapshot;

  std::size_t max_frame_bytes = 64u << 20;     // larger frames are refused and close the connection
  std::size_t max_queued_frames = 1024;        // per peer
  std::size_t max_queued_bytes = 64u << 20;    // per peer
  std::size_t snapshot_chunk_bytes = 1u << 20;
  std::size_t snapshot_window = 4;             // chunks in flight before the sender waits for acks
  std::chrono::milliseconds handshake_timeout{3000};  // connect plus handshake
  std::chrono::milliseconds keepalive_interval{1000}; // a ping when a link has been idle this long
  std::chrono::milliseconds idle_timeout{10000};      // no frame (or no write progress) this long: close
  std::chrono::milliseconds backoff_initial{50};
  std::chrono::milliseconds backoff_max{2000};
};

// The state of our outgoing link to one peer, for metrics and `GET /v1/cluster`.
struct PeerStats {
  raft::NodeId id = raft::kNoNode;
  std::string address;
  bool connected = false;             // authenticated and ready to carry messages
  std::size_t queued_frames = 0;
  std::size_t queued_bytes = 0;
  std::uint64_t sent_messages = 0;    // written to the socket
  std::uint64_t sent_frames = 0;
  std::uint64_t dropped_messages = 0; // queue full, peer unreachable, lost on a broken connection, too large
  std::uint64_t connects = 0;         // successful handshakes
  std::string last_error;             // the latest connection failure, empty if none yet
};

struct TransportStats {
  std::vector<PeerStats> peers;              // sorted by id
  std::uint64_t dropped_unknown_peer = 0;    // messages for a node that has no set_peer()
  std::uint64_t failed_handshakes = 0;       // incoming connections refused by the handshake
  std::uint64_t protocol_errors = 0;         // authenticated connections closed for bad frames
  std::uint64_t dropped_misaddressed = 0;    // received messages not from the authenticated peer to us
};

class Transport {
 public:
  // Throws std::invalid_argument on a malformed peer_addr, an empty secret, no self id or a
  // missing handler.
  explicit Transport(TransportOptions options);
  ~Transport();  // stop()
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Listens on peer_addr. Throws std::system_error if it cannot listen. Removes leftover partial
  // snapshot files from snapshot_dir. Called at most once, before stop() (std::logic_error
  // otherwise). Nothing is read from the network until some thread calls run().
  void start();
  // Runs the network work ready now, or else waits for some until `until` (or until wake()) and
  // runs what is then ready. Runs a bounded number of handlers per call, so that a busy stream
  // (a snapshot) cannot keep the caller from its own work. Call from one thread at a time.
  void run(std::chrono::steady_clock::time_point until);
  // Makes a run() that is waiting (or the next one) return early. Thread-safe.
  void wake();
  // Closes every connection, fails in-flight snapshots (done(false)) and runs what that leaves on
  // the calling thread, once no thread is inside run(). Idempotent. A stopped transport stays
  // stopped.
  void stop();

  // The port we listen on (useful when peer_addr asked for port 0). Valid after start().
  std::uint16_t listen_port() const;

  // Adds a peer or changes its address (the old link is closed). Returns false if `addr` is
  // malformed or `id` is our own id or 0. Before start(), links wait for it.
  bool set_peer(raft::NodeId id, const std::string& addr);
  void remove_peer(raft::NodeId id);

  void send(std::vector<raft::Message> msgs);

  // Streams the file at `file_path` to `snap.to` on a connection of its own. `done(true)` once the
  // peer has stored the whole verified file and handed it to its snapshot handler; `done(false)`
  // on any failure. `done` is always called exactly once, inside run() or stop().
  void send_snapshot(const raft::Message& snap, std::string file_path, std::function<void(bool ok)> done);

  TransportStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskraft::transport

// SnapshotSender: streams one snapshot file to a peer on a connection of its own.
//
// Internal. It dials the peer (dial.h) for Purpose::kSnapshot and runs the sender's side of
// snapshot_protocol.h: chunks of options.snapshot_chunk_bytes with at most options.snapshot_window
// chunks unacknowledged, then the file's SHA-256, then waits for the receiver's verdict.
// Guarantees: `done` is called exactly once: true only when the receiver reported the snapshot
// stored and handed to its node; false on any failure, on stop(), or if the sender is destroyed
// before finishing (e.g. the transport stopped before its io thread ever ran it).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "raft/types.h"
#include "transport/link_context.h"
#include "transport/net.h"

namespace taskraft::transport {

class SnapshotSender : public std::enable_shared_from_this<SnapshotSender> {
 public:
  // `remote` is empty when the destination is not a known peer (the send then fails).
  SnapshotSender(asio::io_context& io, LinkContext& ctx, raft::Message snap, std::optional<tcp::endpoint> remote,
                 std::string file_path, std::function<void(bool)> done);
  ~SnapshotSender();

  // Both on the io thread. `on_finished` runs there once the stream is over.
  void start(std::function<void(SnapshotSender*)> on_finished);
  void stop();

  raft::NodeId peer() const { return snap_.to; }

 private:
  Awaitable<void> run();
  Awaitable<void> stream();
  void finish(bool ok);

  LinkContext& ctx_;
  const raft::Message snap_;
  const std::optional<tcp::endpoint> remote_;
  const std::string file_path_;
  std::function<void(bool)> done_;
  std::function<void(SnapshotSender*)> on_finished_;
  tcp::socket socket_;
  bool stopped_ = false;
};

}  // namespace taskraft::transport

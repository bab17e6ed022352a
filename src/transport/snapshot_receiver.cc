// Implements snapshot_receiver.h.
#include "transport/snapshot_receiver.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "transport/frame_io.h"
#include "transport/incoming_file.h"
#include "transport/snapshot_protocol.h"

namespace taskraft::transport {

Awaitable<void> receive_snapshot(tcp::socket& socket, LinkContext& ctx, raft::NodeId peer) {
  const auto& o = ctx.options;
  const Frame first = co_await read_frame_of(socket, FrameType::kSnapshotBegin, o.max_frame_bytes, ctx.idle_deadline());
  auto begin = decode_snapshot_begin(first.payload);
  if (!begin) throw ProtocolError("malformed snapshot-begin frame");
  if (begin->message.from != peer || begin->message.to != o.self) {
    ++ctx.dropped_misaddressed;
    throw ProtocolError(fmt::format("snapshot claims from={} to={}", begin->message.from, begin->message.to));
  }

  IncomingFile file(o.snapshot_dir);
  Sha256 sha;
  std::uint64_t received = 0;
  Frame frame = co_await read_frame(socket, o.max_frame_bytes, ctx.idle_deadline());
  while (frame.type == FrameType::kSnapshotChunk) {
    received += frame.payload.size();
    if (received > begin->size) throw ProtocolError("snapshot stream longer than announced");
    file.write(frame.payload);
    sha.update(frame.payload);
    co_await write_frame(socket, make_frame(FrameType::kSnapshotAck, encode_snapshot_ack(received)),
                          ctx.idle_deadline());
    frame = co_await read_frame(socket, o.max_frame_bytes, ctx.idle_deadline());
  }
  if (frame.type != FrameType::kSnapshotEnd) {
    throw ProtocolError(std::string("unexpected ") + to_string(frame.type) + " frame in a snapshot stream");
  }
  const auto digest = decode_snapshot_end(frame.payload);
  if (!digest) throw ProtocolError("malformed snapshot-end frame");
  if (received != begin->size || *digest != sha.finish()) {
    co_await write_frame(socket, make_frame(FrameType::kSnapshotDone, encode_snapshot_done(false)),
                          ctx.idle_deadline());
    throw ProtocolError(fmt::format("snapshot from node {} failed verification ({} of {} bytes, or checksum)",
                                    peer, received, begin->size));
  }

  const auto& m = begin->message;
  const std::string path = file.commit(fmt::format("snapshot-{}-{}-{}", peer, m.snapshot.index, m.snapshot.term));
  spdlog::info("transport {}: received snapshot {} ({} bytes) from node {}", o.self, path, received, peer);
  o.on_snapshot(std::move(begin->message), path);
  co_await write_frame(socket, make_frame(FrameType::kSnapshotDone, encode_snapshot_done(true)),
                        ctx.idle_deadline());
}

}  // namespace taskraft::transport

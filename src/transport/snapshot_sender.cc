// Implements snapshot_sender.h.
#include "transport/snapshot_sender.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <cassert>
#include <filesystem>
#include <fstream>

#include "transport/dial.h"
#include "transport/frame_io.h"
#include "transport/snapshot_protocol.h"

namespace taskraft::transport {

SnapshotSender::SnapshotSender(asio::io_context& io, LinkContext& ctx, raft::Message snap,
                               std::optional<tcp::endpoint> remote, std::string file_path,
                               std::function<void(bool)> done)
    : ctx_(ctx), snap_(std::move(snap)), remote_(remote), file_path_(std::move(file_path)), done_(std::move(done)),
      socket_(io) {}

SnapshotSender::~SnapshotSender() { finish(false); }

void SnapshotSender::start(std::function<void(SnapshotSender*)> on_finished) {
  on_finished_ = std::move(on_finished);
  asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void SnapshotSender::stop() {
  stopped_ = true;
  boost::system::error_code ec;
  socket_.close(ec);
}

void SnapshotSender::finish(bool ok) {
  if (auto done = std::exchange(done_, nullptr)) done(ok);
}

Awaitable<void> SnapshotSender::run() {
  bool ok = false;
  try {
    co_await stream();
    ok = true;
  } catch (const std::exception& e) {
    spdlog::warn("transport {}: snapshot {} to node {} failed: {}", ctx_.options.self, file_path_, snap_.to,
                 e.what());
  }
  boost::system::error_code ec;
  socket_.close(ec);
  finish(ok);
  if (on_finished_) on_finished_(this);
}

Awaitable<void> SnapshotSender::stream() {
  const auto& o = ctx_.options;
  if (!remote_) throw LinkError("unknown peer");
  std::ifstream file(file_path_, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open the snapshot file");
  const std::uint64_t size = std::filesystem::file_size(file_path_);

  if (stopped_) throw LinkError("the transport is stopping");
  co_await dial(socket_, ctx_, snap_.to, *remote_, Purpose::kSnapshot);
  const std::string begin = make_frame(FrameType::kSnapshotBegin, encode_snapshot_begin(SnapshotBegin{size, snap_}));
  co_await write_frame(socket_, begin,
                        ctx_.idle_deadline());

  const std::uint64_t window = o.snapshot_window * o.snapshot_chunk_bytes;
  Sha256 sha;
  std::string chunk;
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;
  while (acked < size) {
    while (sent < size && sent - acked < window) {
      chunk.resize(std::min<std::uint64_t>(o.snapshot_chunk_bytes, size - sent));
      file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      if (file.gcount() != static_cast<std::streamsize>(chunk.size())) {
        throw std::runtime_error("the snapshot file shrank while being sent");
      }
      sha.update(chunk);
      co_await write_frame(socket_, make_frame(FrameType::kSnapshotChunk, chunk), ctx_.idle_deadline());
      sent += chunk.size();
    }
    const Frame frame = co_await read_frame_of(socket_, FrameType::kSnapshotAck, o.max_frame_bytes, ctx_.idle_deadline());
    const auto ack = decode_snapshot_ack(frame.payload);
    if (!ack || *ack <= acked || *ack > sent) throw ProtocolError("bad snapshot acknowledgement");
    acked = *ack;
  }
  assert(sent == size && acked == size);

  co_await write_frame(socket_, make_frame(FrameType::kSnapshotEnd, encode_snapshot_end(sha.finish())),
                        ctx_.idle_deadline());
  const Frame verdict = co_await read_frame_of(socket_, FrameType::kSnapshotDone, o.max_frame_bytes, ctx_.idle_deadline());
  const auto stored = decode_snapshot_done(verdict.payload);
  if (!stored || !*stored) throw ProtocolError("the peer refused the snapshot");
  spdlog::info("transport {}: sent snapshot {} ({} bytes) to node {}", o.self, file_path_, size, snap_.to);
}

}  // namespace taskraft::transport

// The payloads of a snapshot stream, which runs on its own authenticated connection:
//
//   sender   -> receiver  Begin  {u64 file size, the kSnap message (wire::encode_messages of one)}
//   sender   -> receiver  Chunk  {raw file bytes}                 (repeated; at most `window` unacked)
//   receiver -> sender    Ack    {u64 bytes received so far}      (one per chunk, once it is on disk)
//   sender   -> receiver  End    {SHA-256 of the whole file}
//   receiver -> sender    Done   {u8 1 = stored and handed to the node, 0 = refused}
//
// Guarantees: decoders reject payloads of the wrong size or content with nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "raft/types.h"
#include "transport/sha256.h"

namespace taskraft::transport {

struct SnapshotBegin {
  std::uint64_t size = 0;
  raft::Message message;
};

std::string encode_snapshot_begin(const SnapshotBegin& b);
std::optional<SnapshotBegin> decode_snapshot_begin(std::string_view payload);

std::string encode_snapshot_ack(std::uint64_t received);
std::optional<std::uint64_t> decode_snapshot_ack(std::string_view payload);

std::string encode_snapshot_end(const Digest& d);
std::optional<Digest> decode_snapshot_end(std::string_view payload);

std::string encode_snapshot_done(bool ok);
std::optional<bool> decode_snapshot_done(std::string_view payload);

}  // namespace taskraft::transport

// Implements snapshot_protocol.h.
#include "transport/snapshot_protocol.h"

#include <cstring>

#include "transport/byte_order.h"
#include "wire/raft_codec.h"

namespace taskraft::transport {

std::string encode_snapshot_begin(const SnapshotBegin& b) {
  std::string out;
  put_be<std::uint64_t>(out, b.size);
  out += wire::encode_messages({b.message});
  return out;
}

std::optional<SnapshotBegin> decode_snapshot_begin(std::string_view payload) {
  if (payload.size() < 8) return std::nullopt;
  auto msgs = wire::decode_messages(payload.substr(8));
  if (!msgs || msgs->size() != 1 || (*msgs)[0].type != raft::MessageType::kSnap) return std::nullopt;
  return SnapshotBegin{get_be<std::uint64_t>(payload, 0), std::move((*msgs)[0])};
}

std::string encode_snapshot_ack(std::uint64_t received) {
  std::string out;
  put_be<std::uint64_t>(out, received);
  return out;
}

std::optional<std::uint64_t> decode_snapshot_ack(std::string_view payload) {
  if (payload.size() != 8) return std::nullopt;
  return get_be<std::uint64_t>(payload, 0);
}

std::string encode_snapshot_end(const Digest& d) {
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::optional<Digest> decode_snapshot_end(std::string_view payload) {
  Digest d;
  if (payload.size() != d.size()) return std::nullopt;
  std::memcpy(d.data(), payload.data(), d.size());
  return d;
}

std::string encode_snapshot_done(bool ok) { return std::string(1, ok ? '\1' : '\0'); }

std::optional<bool> decode_snapshot_done(std::string_view payload) {
  if (payload.size() != 1 || static_cast<unsigned char>(payload[0]) > 1) return std::nullopt;
  return payload[0] == '\1';
}

}  // namespace taskraft::transport

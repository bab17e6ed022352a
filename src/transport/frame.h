// The peer link's framing: every unit sent on a peer connection is one frame,
//
//   [u32 big-endian length L][u8 type][L - 1 bytes of payload]
//
// where L counts the type byte and the payload. Guarantees: a header claiming L == 0, L above the
// reader's limit, or an unknown type is rejected before any payload is read, so a peer can never
// make the reader allocate more than its limit.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskraft::transport {

enum class FrameType : std::uint8_t {
  // Handshake (see handshake.h), in this order.
  kHello = 1,
  kChallenge = 2,
  kProof = 3,
  kWelcome = 4,
  // Message connections: a batch of raft::Message (wire::encode_messages), or a keepalive.
  kMessages = 10,
  kPing = 11,
  // Snapshot connections (see snapshot_protocol.h).
  kSnapshotBegin = 20,
  kSnapshotChunk = 21,
  kSnapshotEnd = 22,
  kSnapshotAck = 23,
  kSnapshotDone = 24,
};

const char* to_string(FrameType t);

inline constexpr std::size_t kFrameHeaderBytes = 5;  // length + type

// The limit for frames read before a peer has authenticated: handshake frames are tiny, so an
// unauthenticated peer cannot make us buffer more than this.
inline constexpr std::size_t kMaxHandshakeFrameBytes = 128;

// A whole frame (header and payload) ready to be written.
std::string make_frame(FrameType type, std::string_view payload);

struct FrameHeader {
  FrameType type;
  std::uint32_t payload_bytes;
};

// Parses a frame header. On rejection returns nullopt and says why in *error.
std::optional<FrameHeader> parse_frame_header(const std::array<unsigned char, kFrameHeaderBytes>& bytes,
                                              std::size_t max_frame_bytes, std::string* error);

}  // namespace taskraft::transport

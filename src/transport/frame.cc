// Implements frame.h.
#include "transport/frame.h"

#include <cassert>
#include <limits>

#include "transport/byte_order.h"

namespace taskraft::transport {

const char* to_string(FrameType t) {
  switch (t) {
    case FrameType::kHello: return "hello";
    case FrameType::kChallenge: return "challenge";
    case FrameType::kProof: return "proof";
    case FrameType::kWelcome: return "welcome";
    case FrameType::kMessages: return "messages";
    case FrameType::kPing: return "ping";
    case FrameType::kSnapshotBegin: return "snapshot-begin";
    case FrameType::kSnapshotChunk: return "snapshot-chunk";
    case FrameType::kSnapshotEnd: return "snapshot-end";
    case FrameType::kSnapshotAck: return "snapshot-ack";
    case FrameType::kSnapshotDone: return "snapshot-done";
  }
  return "unknown";
}

namespace {

bool known_type(std::uint8_t t) {
  switch (static_cast<FrameType>(t)) {
    case FrameType::kHello:
    case FrameType::kChallenge:
    case FrameType::kProof:
    case FrameType::kWelcome:
    case FrameType::kMessages:
    case FrameType::kPing:
    case FrameType::kSnapshotBegin:
    case FrameType::kSnapshotChunk:
    case FrameType::kSnapshotEnd:
    case FrameType::kSnapshotAck:
    case FrameType::kSnapshotDone:
      return true;
  }
  return false;
}

}  // namespace

std::string make_frame(FrameType type, std::string_view payload) {
  assert(payload.size() < std::numeric_limits<std::uint32_t>::max());
  std::string out;
  out.reserve(kFrameHeaderBytes + payload.size());
  put_be<std::uint32_t>(out, static_cast<std::uint32_t>(payload.size() + 1));
  out.push_back(static_cast<char>(type));
  out.append(payload);
  return out;
}

std::optional<FrameHeader> parse_frame_header(const std::array<unsigned char, kFrameHeaderBytes>& bytes,
                                              std::size_t max_frame_bytes, std::string* error) {
  std::string_view view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const auto length = get_be<std::uint32_t>(view, 0);
  if (length == 0) {
    *error = "frame with zero length";
    return std::nullopt;
  }
  if (length > max_frame_bytes) {
    *error = "frame of " + std::to_string(length) + " bytes exceeds the limit of " +
             std::to_string(max_frame_bytes);
    return std::nullopt;
  }
  if (!known_type(bytes[4])) {
    *error = "frame of unknown type " + std::to_string(bytes[4]);
    return std::nullopt;
  }
  return FrameHeader{static_cast<FrameType>(bytes[4]), length - 1};
}

}  // namespace taskraft::transport

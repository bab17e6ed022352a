// libFuzzer target: the peer link's frame decoder, transport::parse_frame_header (frame.h), driven
// over a whole byte stream the way frame_io.cc's read_frame consumes a connection.
//
// Feeds: the first 4 input bytes (big-endian) are the reader's limit, max_frame_bytes; the rest
// is the stream. Frame after frame, 5 header bytes go to parse_frame_header, then an accepted
// header's payload is taken from the stream; the stream ends at a rejected header (the
// connection is closed there) or where too few bytes remain (the reader would wait). The decoder
// is not incremental: read_frame reads exactly 5 header bytes and then exactly the payload with
// asio::async_read, so how TCP splits the stream never reaches it and is not varied here.
// Seeds: make_seeds writes a handshake and message, ping and snapshot frames under both limits.
//
// Asserts, besides what ASan and UBSan catch:
//   - a header is accepted exactly when its length L is 1..limit and its type is one that
//     to_string names (frame.h: L == 0, L above the limit, an unknown type are all rejected);
//   - an accepted header gives that type and L - 1 payload bytes, so a reader never allocates
//     more than its limit; a rejection always comes with a reason;
//   - make_frame of the type and payload read gives back the very bytes of the frame.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "require.h"
#include "transport/frame.h"

namespace {

namespace transport = taskraft::transport;

std::uint32_t be32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::size_t limit = be32(data);
  std::string_view stream(reinterpret_cast<const char*>(data) + 4, size - 4);

  while (stream.size() >= transport::kFrameHeaderBytes) {
    std::array<unsigned char, transport::kFrameHeaderBytes> header;
    std::copy_n(stream.begin(), header.size(), header.begin());
    const std::uint32_t length = be32(header.data());
    const bool known = std::string_view(transport::to_string(static_cast<transport::FrameType>(header[4]))) != "unknown";

    std::string error;
    const auto parsed = transport::parse_frame_header(header, limit, &error);
    FUZZ_REQUIRE(parsed.has_value() == (length >= 1 && length <= limit && known));
    if (!parsed) {
      FUZZ_REQUIRE(!error.empty());
      return 0;
    }
    FUZZ_REQUIRE(static_cast<std::uint8_t>(parsed->type) == header[4]);
    FUZZ_REQUIRE(parsed->payload_bytes == length - 1);
    FUZZ_REQUIRE(parsed->payload_bytes < limit);

    stream.remove_prefix(transport::kFrameHeaderBytes);
    if (stream.size() < parsed->payload_bytes) return 0;
    const std::string_view payload = stream.substr(0, parsed->payload_bytes);
    const std::string frame = transport::make_frame(parsed->type, payload);
    FUZZ_REQUIRE(frame.size() == transport::kFrameHeaderBytes + payload.size());
    FUZZ_REQUIRE(std::equal(header.begin(), header.end(), frame.begin(),
                            [](unsigned char h, char f) { return h == static_cast<unsigned char>(f); }));
    FUZZ_REQUIRE(frame.compare(transport::kFrameHeaderBytes, std::string_view::npos, payload) == 0);
    stream.remove_prefix(payload.size());
  }
  return 0;
}

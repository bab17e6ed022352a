// Reading and writing frames (frame.h) on a TCP socket, each operation bounded by a deadline.
//
// Internal. Guarantees: read_frame and FrameReader never allocate more than `max_frame_bytes` for
// a frame (plus its header); every operation either completes or throws by its deadline
// (LinkError "timed out"); a header that frame.h rejects throws ProtocolError. After any throw
// the socket is in an unknown position in the stream and must be closed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "transport/frame.h"
#include "transport/net.h"

namespace taskraft::transport {

struct Frame {
  FrameType type;
  std::string payload;
};

Awaitable<Frame> read_frame(tcp::socket& socket, std::size_t max_frame_bytes, Clock::time_point deadline);

// read_frame that also requires the frame to be of `type` (ProtocolError otherwise).
Awaitable<Frame> read_frame_of(tcp::socket& socket, FrameType type, std::size_t max_frame_bytes,
                               Clock::time_point deadline);

// Reads a message connection's frames through a buffer: one receive takes every frame that has
// arrived, and only a frame not yet whole waits on the socket (with a timer). For a connection
// that carries nothing but frames until it closes: bytes past a frame are buffered here, so
// read_frame() must not be used on the socket after a FrameReader.
class FrameReader {
 public:
  FrameReader(tcp::socket& socket, std::size_t max_frame_bytes);
  Awaitable<Frame> read(Clock::time_point deadline);

 private:
  // The first whole frame buffered, if there is one.
  std::optional<Frame> take();

  tcp::socket& socket_;
  std::size_t max_frame_bytes_;
  std::vector<unsigned char> buffer_;
  std::size_t begin_ = 0, end_ = 0;  // the bytes received and not taken
};

// Writes whole frames (make_frame), in order, in one gathered write.
Awaitable<void> write_frames(tcp::socket& socket, const std::vector<std::string>& frames,
                             Clock::time_point deadline);

Awaitable<void> write_frame(tcp::socket& socket, const std::string& frame, Clock::time_point deadline);

// Connects an open socket to `remote`.
Awaitable<void> connect_socket(tcp::socket& socket, const tcp::endpoint& remote, Clock::time_point deadline);

}  // namespace taskraft::transport

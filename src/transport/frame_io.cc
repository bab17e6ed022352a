// Implements frame_io.h: each socket operation races a timer in a parallel group; whichever
// finishes first cancels the other.
#include "transport/frame_io.h"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <tuple>

namespace taskraft::transport {
namespace {

// Runs `op` (a deferred socket operation completing with an error_code first) against `deadline`.
template <typename Op>
Awaitable<void> before_deadline(tcp::socket& socket, Op op, Clock::time_point deadline) {
  asio::steady_timer timer(socket.get_executor(), deadline);
  auto result = co_await asio::experimental::make_parallel_group(std::move(op), timer.async_wait(asio::deferred))
                    .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (std::get<0>(result)[0] == 1) throw LinkError("timed out");
  const boost::system::error_code ec = std::get<1>(result);
  if (ec == asio::error::eof) throw LinkError("peer closed the connection");
  if (ec) throw LinkError(ec.message());
}

}  // namespace

Awaitable<Frame> read_frame(tcp::socket& socket, std::size_t max_frame_bytes, Clock::time_point deadline) {
  std::array<unsigned char, kFrameHeaderBytes> header;
  co_await before_deadline(socket, asio::async_read(socket, asio::buffer(header), asio::deferred), deadline);
  std::string error;
  const auto parsed = parse_frame_header(header, max_frame_bytes, &error);
  if (!parsed) throw ProtocolError(error);
  Frame frame{parsed->type, std::string(parsed->payload_bytes, '\0')};
  if (!frame.payload.empty()) {
    co_await before_deadline(socket, asio::async_read(socket, asio::buffer(frame.payload), asio::deferred),
                             deadline);
  }
  co_return frame;
}

Awaitable<Frame> read_frame_of(tcp::socket& socket, FrameType type, std::size_t max_frame_bytes,
                               Clock::time_point deadline) {
  Frame frame = co_await read_frame(socket, max_frame_bytes, deadline);
  if (frame.type != type) {
    throw ProtocolError(std::string("expected a ") + to_string(type) + " frame, got " + to_string(frame.type));
  }
  co_return frame;
}

Awaitable<void> write_frames(tcp::socket& socket, const std::vector<std::string>& frames,
                             Clock::time_point deadline) {
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(frames.size());
  for (const auto& f : frames) buffers.push_back(asio::buffer(f));
  co_await before_deadline(socket, asio::async_write(socket, buffers, asio::deferred), deadline);
}

Awaitable<void> write_frame(tcp::socket& socket, const std::string& frame, Clock::time_point deadline) {
  co_await before_deadline(socket, asio::async_write(socket, asio::buffer(frame), asio::deferred), deadline);
}

Awaitable<void> connect_socket(tcp::socket& socket, const tcp::endpoint& remote, Clock::time_point deadline) {
  co_await before_deadline(socket, socket.async_connect(remote, asio::deferred), deadline);
}

}  // namespace taskraft::transport

// Implements frame_io.h. A socket operation that cannot complete at once races a timer in a
// parallel group; whichever finishes first cancels the other. What can complete at once (bytes
// already received, room in the send buffer) is done without arming a timer: on a busy link
// that is most reads of a message connection and almost every write.
#include "transport/frame_io.h"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <tuple>

namespace taskraft::transport {
namespace {

// What a message connection's reader asks of the socket at once, at the most.
constexpr std::size_t kReadBufferBytes = 64 * 1024;

void throw_if_failed(bool timed_out, const boost::system::error_code& ec) {
  if (timed_out) throw LinkError("timed out");
  if (ec == asio::error::eof) throw LinkError("peer closed the connection");
  if (ec) throw LinkError(ec.message());
}

// Runs `op` (a deferred socket operation completing with an error_code first, and the bytes it
// moved when it moves any) against `deadline`; returns those bytes (0 for a connect).
template <typename Op>
Awaitable<std::size_t> before_deadline(tcp::socket& socket, Op op, Clock::time_point deadline) {
  asio::steady_timer timer(socket.get_executor(), deadline);
  auto result = co_await asio::experimental::make_parallel_group(std::move(op), timer.async_wait(asio::deferred))
                    .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  throw_if_failed(std::get<0>(result)[0] == 1, std::get<1>(result));
  if constexpr (std::tuple_size_v<decltype(result)> == 4) {
    co_return std::get<2>(result);
  } else {
    co_return 0;
  }
}

// Writes `buffers` whole: at once as far as the send buffer takes them, the rest by `deadline`.
Awaitable<void> write_all(tcp::socket& socket, std::vector<asio::const_buffer> buffers, Clock::time_point deadline) {
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  std::size_t written = ec ? 0 : asio::write(socket, buffers, ec);
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) throw_if_failed(false, ec);
  // Drop what went out: whole buffers, then the start of the first one left.
  auto first = buffers.begin();
  for (; first != buffers.end() && written >= first->size(); ++first) written -= first->size();
  if (first == buffers.end()) co_return;
  buffers.erase(buffers.begin(), first);
  buffers.front() += written;
  co_await before_deadline(socket, asio::async_write(socket, buffers, asio::deferred), deadline);
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

FrameReader::FrameReader(tcp::socket& socket, std::size_t max_frame_bytes)
    : socket_(socket),
      max_frame_bytes_(max_frame_bytes),
      buffer_(std::min(kReadBufferBytes, kFrameHeaderBytes + max_frame_bytes)) {}

std::optional<Frame> FrameReader::take() {
  if (end_ - begin_ < kFrameHeaderBytes) return std::nullopt;
  std::array<unsigned char, kFrameHeaderBytes> header;
  std::memcpy(header.data(), buffer_.data() + begin_, kFrameHeaderBytes);
  std::string error;
  const auto parsed = parse_frame_header(header, max_frame_bytes_, &error);
  if (!parsed) throw ProtocolError(error);
  const std::size_t whole = kFrameHeaderBytes + parsed->payload_bytes;
  if (end_ - begin_ < whole) {
    // Room for the whole frame from the start of the buffer (never more than the limit allows).
    if (buffer_.size() < whole) buffer_.resize(whole);
    return std::nullopt;
  }
  const char* payload = reinterpret_cast<const char*>(buffer_.data() + begin_ + kFrameHeaderBytes);
  Frame frame{parsed->type, std::string(payload, parsed->payload_bytes)};
  begin_ += whole;
  if (begin_ == end_) {
    begin_ = end_ = 0;
    // A large frame (a follower catching up) does not keep its buffer once it is read.
    if (buffer_.size() > kReadBufferBytes) buffer_.resize(kReadBufferBytes);
  }
  return frame;
}

Awaitable<Frame> FrameReader::read(Clock::time_point deadline) {
  for (;;) {
    if (auto frame = take()) co_return std::move(*frame);
    // What is left of a frame moves to the start, so the buffer always has room for the rest.
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    auto room = asio::buffer(buffer_.data() + end_, buffer_.size() - end_);
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    std::size_t n = ec ? 0 : socket_.read_some(room, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      n = co_await before_deadline(socket_, socket_.async_read_some(room, asio::deferred), deadline);
    } else {
      throw_if_failed(false, ec);
    }
    end_ += n;
  }
}

Awaitable<void> write_frames(tcp::socket& socket, const std::vector<std::string>& frames,
                             Clock::time_point deadline) {
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(frames.size());
  for (const auto& f : frames) buffers.push_back(asio::buffer(f));
  co_await write_all(socket, std::move(buffers), deadline);
}

Awaitable<void> write_frame(tcp::socket& socket, const std::string& frame, Clock::time_point deadline) {
  std::vector<asio::const_buffer> buffers{asio::buffer(frame)};  // named: g++ 12 rejects a braced temporary here
  co_await write_all(socket, std::move(buffers), deadline);
}

Awaitable<void> connect_socket(tcp::socket& socket, const tcp::endpoint& remote, Clock::time_point deadline) {
  co_await before_deadline(socket, socket.async_connect(remote, asio::deferred), deadline);
}

}  // namespace taskraft::transport

// What the blocking connection (http_connection.cc) and the benchmark's event-loop connection
// (async_http_connection.cc) share over Beast: the CLI's HTTP values as Beast messages and back,
// and the kept-alive socket with its read buffer. Includes Beast and Asio: meant for those two
// files only.
//
// Guarantees: a request goes out as HTTP/1.1 with Host, User-Agent taskraft-cli, keep-alive,
// every header of the request, and a body (Content-Type: application/json) when it has one; a
// response comes back with its status, every header in order and its body. A KeptAliveStream
// resolves its node once and, once closed, holds no connection and no buffered bytes.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <optional>

#include "cli/http_connection.h"
#include "cli/http_message.h"
#include "cli/node_address.h"

namespace taskraft::cli {

// The largest response body either connection reads.
inline constexpr std::uint64_t kMaxResponseBody = 512ull << 20;

// `host` is the Host header's value (host_header()).
boost::beast::http::request<boost::beast::http::string_body> to_beast(const HttpRequest& request,
                                                                      const std::string& host);
HttpResponse from_beast(boost::beast::http::response<boost::beast::http::string_body>&& response);
std::string host_header(const NodeAddress& node);

// One node's kept-alive connection, as far as both clients hold it the same way.
struct KeptAliveStream {
  // Room for a whole typical answer, so that one read takes it (Beast reads at most the free
  // capacity, 512 bytes at the least; a task's answer is about 600).
  static constexpr std::size_t kReadRoom = 16 * 1024;

  explicit KeptAliveStream(boost::asio::io_context& io) : stream(io) { buffer.reserve(kReadRoom); }

  // The node's endpoints, resolved on the first call (blocking: node addresses are mostly numeric).
  boost::beast::error_code resolve(const NodeAddress& node);
  // Closes the connection and forgets what was buffered.
  void close();
  // The kind of failure of a step that failed with `ec`: kTimeout when the timeout ran out.
  static TransportError::Kind failure(boost::beast::error_code ec, TransportError::Kind otherwise);

  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;
  std::optional<boost::asio::ip::tcp::resolver::results_type> endpoints;
  bool open = false;
};

}  // namespace taskraft::cli

// send_now(): writes bytes to a connected socket from any thread, without waiting.
//
// For a thread that is not the socket's io thread but may write to it while that thread leaves
// it alone (peer_link.h's idle writer, an HTTP session waiting for its answer): the caller
// guarantees that no other write is in progress and that the descriptor stays open meanwhile.
#pragma once

#include <cstddef>
#include <string_view>

namespace taskraft::transport {

// Writes what the socket takes now and returns how many bytes that was (from 0 to all of them):
// a full send buffer (EAGAIN) or a broken connection ends it early, leaving the rest, and the
// error, to the socket's own writer. Never raises SIGPIPE.
std::size_t send_now(int fd, std::string_view bytes);

}  // namespace taskraft::transport

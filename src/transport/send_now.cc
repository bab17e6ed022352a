// Implements send_now.h.
#include "transport/send_now.h"

#include <sys/socket.h>

#include <cerrno>

namespace taskraft::transport {

std::size_t send_now(int fd, std::string_view bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  return sent;
}

}  // namespace taskraft::transport

// Implements transport_error.h.
#include "cli/transport_error.h"

namespace taskraft::cli {

const char* TransportError::name(Kind kind) {
  switch (kind) {
    case Kind::kConnect: return "connect";
    case Kind::kTimeout: return "timeout";
    case Kind::kLost: return "lost";
  }
  return "?";
}

bool resend_on_new_connection(const HttpRequest& request, bool reused, int attempt, TransportError::Kind kind) {
  return reused && attempt == 0 && kind == TransportError::Kind::kLost && request.resendable();
}

}  // namespace taskraft::cli

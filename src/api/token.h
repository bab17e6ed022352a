// Bearer tokens: signed claims (user, role, expiry) that every node of the cluster can verify,
// because every node holds the same key (derived from the cluster secret).
//
// Format: base64url(claims JSON) "." base64url(HMAC-SHA256), no padding. The claims JSON is
// {"sub": username, "role": "admin"|"member", "exp_ms": expiry in ms since the epoch}.
// Guarantees: verify() accepts exactly the tokens sign() produced under the same key and not yet
// expired; anything altered, truncated, signed with another key or past its expiry is refused,
// and the reason is told apart (a client may want to log in again only when expired).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "api/hmac.h"
#include "store/user.h"

namespace taskraft::api {

struct Claims {
  std::string user;
  store::Role role = store::Role::kMember;
  std::int64_t expires_at_ms = 0;
  friend bool operator==(const Claims&, const Claims&) = default;
};

enum class TokenError { kMalformed, kBadSignature, kExpired };
const char* describe(TokenError e);

std::string sign_token(const Hmac& key, const Claims& claims);
std::variant<Claims, TokenError> verify_token(const Hmac& key, std::string_view token, std::int64_t now_ms);

}  // namespace taskraft::api

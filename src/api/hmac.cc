// HMAC-SHA256 with domain separation (see hmac.h).
#include "api/hmac.h"

#include <sodium.h>

#include <cassert>

namespace taskraft::api {

Hmac::Hmac(std::string key) : key_(std::move(key)) {  // sodium_init: idempotent, thread-safe
  assert(!key_.empty());
  [[maybe_unused]] int rc = sodium_init();
  assert(rc >= 0);
}

std::string Hmac::mac(std::string_view domain, std::string_view message) const {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  // The domain and a NUL that no domain contains: "ab"+"c" and "a"+"bc" never collide.
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
  const unsigned char zero = 0;
  crypto_auth_hmacsha256_update(&state, &zero, 1);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool Hmac::verify(std::string_view domain, std::string_view message, std::string_view mac) const {
  std::string expected = this->mac(domain, message);
  return mac.size() == expected.size() && sodium_memcmp(mac.data(), expected.data(), expected.size()) == 0;
}

}  // namespace taskraft::api

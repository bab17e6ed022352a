// HMAC-SHA256 under the cluster's shared key (libsodium), with a domain label per use.
//
// Guarantees: mac(d1, m) and mac(d2, m) are unrelated for different domains, so a token MAC can
// never stand in for a request hash or the other way round; verify() compares in constant time.
// The key may have any length. Thread-safe (immutable after construction).
#pragma once

#include <string>
#include <string_view>

namespace taskraft::api {

class Hmac {
 public:
  explicit Hmac(std::string key);  // the key must not be empty (asserted)

  std::string mac(std::string_view domain, std::string_view message) const;  // 32 bytes
  bool verify(std::string_view domain, std::string_view message, std::string_view mac) const;

 private:
  std::string key_;
};

}  // namespace taskraft::api

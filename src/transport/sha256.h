// Incremental SHA-256 of a snapshot stream, computed by sender and receiver alike.
//
// Guarantees: feeding the same bytes in any chunking gives the same digest; finish() is called once.
#pragma once

#include <sodium.h>

#include <array>
#include <string_view>

namespace taskraft::transport {

using Digest = std::array<unsigned char, crypto_hash_sha256_BYTES>;

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  Digest finish();

 private:
  crypto_hash_sha256_state state_;
  bool finished_ = false;
};

}  // namespace taskraft::transport

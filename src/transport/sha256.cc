// Implements sha256.h on libsodium.
#include "transport/sha256.h"

#include <cassert>

namespace taskraft::transport {

Sha256::Sha256() { crypto_hash_sha256_init(&state_); }

void Sha256::update(std::string_view bytes) {
  assert(!finished_);
  crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

Digest Sha256::finish() {
  assert(!finished_);
  finished_ = true;
  Digest out;
  crypto_hash_sha256_final(&state_, out.data());
  return out;
}

}  // namespace taskraft::transport

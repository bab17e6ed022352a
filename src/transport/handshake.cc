// Implements handshake.h on libsodium (HMAC-SHA256, randombytes, constant-time compare).
#include "transport/handshake.h"

#include <sodium.h>

#include <cassert>
#include <cstring>
#include <stdexcept>

#include "transport/byte_order.h"

namespace taskraft::transport {
namespace {

constexpr std::string_view kMagic = "TKRF";
constexpr std::uint8_t kVersion = 1;
constexpr std::string_view kProofLabel = "taskraft/transport/handshake/v1";

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

bool valid_purpose(std::uint8_t p) {
  return p == static_cast<std::uint8_t>(Purpose::kMessages) ||
         p == static_cast<std::uint8_t>(Purpose::kSnapshot);
}

void append(std::string& out, const std::array<unsigned char, 32>& bytes) {
  out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::array<unsigned char, 32> read32(std::string_view in, std::size_t pos) {
  assert(pos + 32 <= in.size());
  std::array<unsigned char, 32> out;
  std::memcpy(out.data(), in.data() + pos, out.size());
  return out;
}

}  // namespace

std::string encode_hello(const Hello& h) {
  std::string out(kMagic);
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(h.purpose));
  put_be<std::uint64_t>(out, h.client);
  append(out, h.client_nonce);
  return out;
}

std::optional<Hello> decode_hello(std::string_view payload) {
  constexpr std::size_t kSize = 4 + 1 + 1 + 8 + 32;
  if (payload.size() != kSize || payload.substr(0, 4) != kMagic) return std::nullopt;
  if (static_cast<std::uint8_t>(payload[4]) != kVersion) return std::nullopt;
  const auto purpose = static_cast<std::uint8_t>(payload[5]);
  if (!valid_purpose(purpose)) return std::nullopt;
  return Hello{static_cast<Purpose>(purpose), get_be<std::uint64_t>(payload, 6), read32(payload, 14)};
}

std::string encode_challenge(const Challenge& c) {
  std::string out;
  put_be<std::uint64_t>(out, c.server);
  append(out, c.server_nonce);
  append(out, c.server_proof);
  return out;
}

std::optional<Challenge> decode_challenge(std::string_view payload) {
  if (payload.size() != 8 + 32 + 32) return std::nullopt;
  return Challenge{get_be<std::uint64_t>(payload, 0), read32(payload, 8), read32(payload, 40)};
}

std::string encode_proof(const Proof& p) {
  std::string out;
  append(out, p);
  return out;
}

std::optional<Proof> decode_proof(std::string_view payload) {
  if (payload.size() != 32) return std::nullopt;
  return read32(payload, 0);
}

Nonce random_nonce() {
  ensure_sodium();
  Nonce n;
  randombytes_buf(n.data(), n.size());
  return n;
}

Proof compute_proof(std::string_view secret, Role prover, Purpose purpose, raft::NodeId client,
                    raft::NodeId server, const Nonce& client_nonce, const Nonce& server_nonce) {
  ensure_sodium();
  std::string transcript(kProofLabel);
  transcript.push_back(static_cast<char>(prover));
  transcript.push_back(static_cast<char>(purpose));
  put_be<std::uint64_t>(transcript, client);
  put_be<std::uint64_t>(transcript, server);
  append(transcript, client_nonce);
  append(transcript, server_nonce);

  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(transcript.data()),
                                transcript.size());
  Proof out;
  crypto_auth_hmacsha256_final(&state, out.data());
  return out;
}

bool proofs_equal(const Proof& expected, const Proof& received) {
  return crypto_verify_32(expected.data(), received.data()) == 0;
}

}  // namespace taskraft::transport

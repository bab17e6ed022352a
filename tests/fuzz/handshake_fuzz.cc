// libFuzzer target: the handshake parsers of handshake.h, decode_hello, decode_challenge and
// decode_proof: the only code that reads what a peer sends before it has proved that it knows
// the cluster secret.
//
// Feeds: the input bytes, unchanged, to each of the three as a frame payload. Seeds: make_seeds
// writes a hello of each purpose, a challenge and a proof.
//
// Asserts, besides what ASan and UBSan catch:
//   - each parser accepts exactly its documented layout: a hello is 46 bytes, "TKRF", version 1,
//     a known purpose, the client id and nonce; a challenge 72 bytes (server id, nonce, proof);
//     a proof 32 bytes; anything else is refused;
//   - what is accepted encodes back to the very bytes it was read from, so no two payloads mean
//     the same handshake value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "require.h"
#include "transport/handshake.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace transport = taskraft::transport;
  const std::string_view payload(reinterpret_cast<const char*>(data), size);

  const auto hello = transport::decode_hello(payload);
  const bool hello_layout = size == 46 && payload.substr(0, 4) == "TKRF" && data[4] == 1 &&
                            (data[5] == 1 || data[5] == 2);
  FUZZ_REQUIRE(hello.has_value() == hello_layout);
  if (hello) FUZZ_REQUIRE(transport::encode_hello(*hello) == payload);

  const auto challenge = transport::decode_challenge(payload);
  FUZZ_REQUIRE(challenge.has_value() == (size == 72));
  if (challenge) FUZZ_REQUIRE(transport::encode_challenge(*challenge) == payload);

  const auto proof = transport::decode_proof(payload);
  FUZZ_REQUIRE(proof.has_value() == (size == 32));
  if (proof) FUZZ_REQUIRE(transport::encode_proof(*proof) == payload);
  return 0;
}

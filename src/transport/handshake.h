// The peer handshake: mutual challenge-response authentication by the shared cluster secret.
//
//   client -> server  Hello      {magic "TKRF", version, purpose, client id, client nonce}
//   server -> client  Challenge  {server id, server nonce, server proof}
//   client -> server  Proof      {client proof}
//   server -> client  Welcome    {}
//
// A proof is HMAC-SHA256, keyed by the cluster secret, over a domain label, the prover's role,
// the connection's purpose, both node ids and both nonces. Guarantees: each side proves it knows
// the secret over a nonce the other side has just drawn, so a recorded proof cannot be replayed;
// the role label keeps a server proof from being reflected back as a client proof; the purpose is
// bound so a message connection cannot be turned into a snapshot one. This module is pure data and
// crypto; handshake_io.h runs it over a socket.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "raft/types.h"

namespace taskraft::transport {

// What a connection carries once authenticated.
enum class Purpose : std::uint8_t {
  kMessages = 1,  // a one-way stream of message batches, client to server
  kSnapshot = 2,  // one snapshot stream (snapshot_protocol.h)
};

using Nonce = std::array<unsigned char, 32>;
using Proof = std::array<unsigned char, 32>;

enum class Role : std::uint8_t { kClient = 1, kServer = 2 };

struct Hello {
  Purpose purpose = Purpose::kMessages;
  raft::NodeId client = raft::kNoNode;
  Nonce client_nonce{};
};

struct Challenge {
  raft::NodeId server = raft::kNoNode;
  Nonce server_nonce{};
  Proof server_proof{};
};

std::string encode_hello(const Hello& h);
std::optional<Hello> decode_hello(std::string_view payload);

std::string encode_challenge(const Challenge& c);
std::optional<Challenge> decode_challenge(std::string_view payload);

std::string encode_proof(const Proof& p);
std::optional<Proof> decode_proof(std::string_view payload);

// A fresh nonce from the operating system's CSPRNG.
Nonce random_nonce();

// What the party in role `prover` sends to show it knows `secret`.
Proof compute_proof(std::string_view secret, Role prover, Purpose purpose, raft::NodeId client,
                    raft::NodeId server, const Nonce& client_nonce, const Nonce& server_nonce);

// Constant-time comparison of a received proof with the expected one.
bool proofs_equal(const Proof& expected, const Proof& received);

}  // namespace taskraft::transport

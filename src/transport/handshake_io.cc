// Implements handshake_io.h.
#include "transport/handshake_io.h"

#include <fmt/format.h>

#include "transport/frame_io.h"

namespace taskraft::transport {

Awaitable<void> authenticate_as_client(tcp::socket& socket, const LinkContext& ctx, raft::NodeId server,
                                       Purpose purpose, Clock::time_point deadline) {
  const auto& secret = ctx.options.cluster_secret;
  const raft::NodeId self = ctx.options.self;
  const Hello hello{purpose, self, random_nonce()};
  co_await write_frame(socket, make_frame(FrameType::kHello, encode_hello(hello)), deadline);

  const Frame frame = co_await read_frame_of(socket, FrameType::kChallenge, kMaxHandshakeFrameBytes, deadline);
  const auto challenge = decode_challenge(frame.payload);
  if (!challenge) throw HandshakeError("malformed challenge");
  if (challenge->server != server) {
    throw HandshakeError(fmt::format("the peer is node {}, expected node {}", challenge->server, server));
  }
  const Proof expected =
      compute_proof(secret, Role::kServer, purpose, self, server, hello.client_nonce, challenge->server_nonce);
  if (!proofs_equal(expected, challenge->server_proof)) {
    throw HandshakeError("the peer does not know the cluster secret");
  }
  const Proof ours =
      compute_proof(secret, Role::kClient, purpose, self, server, hello.client_nonce, challenge->server_nonce);
  co_await write_frame(socket, make_frame(FrameType::kProof, encode_proof(ours)), deadline);

  bool refused = false;
  try {
    co_await read_frame_of(socket, FrameType::kWelcome, kMaxHandshakeFrameBytes, deadline);
  } catch (const LinkError&) {
    refused = true;
  }
  if (refused) throw HandshakeError("the peer refused our proof of the cluster secret");
}

Awaitable<AuthenticatedPeer> authenticate_as_server(tcp::socket& socket, const LinkContext& ctx,
                                                    Clock::time_point deadline) {
  const auto& secret = ctx.options.cluster_secret;
  const raft::NodeId self = ctx.options.self;
  const Frame frame = co_await read_frame_of(socket, FrameType::kHello, kMaxHandshakeFrameBytes, deadline);
  const auto hello = decode_hello(frame.payload);
  if (!hello) throw HandshakeError("malformed hello");
  if (hello->client == raft::kNoNode || hello->client == self) {
    throw HandshakeError(fmt::format("the peer claims to be node {}", hello->client));
  }

  Challenge challenge{self, random_nonce(), {}};
  challenge.server_proof = compute_proof(secret, Role::kServer, hello->purpose, hello->client, self,
                                         hello->client_nonce, challenge.server_nonce);
  co_await write_frame(socket, make_frame(FrameType::kChallenge, encode_challenge(challenge)), deadline);

  const Frame answer = co_await read_frame_of(socket, FrameType::kProof, kMaxHandshakeFrameBytes, deadline);
  const auto proof = decode_proof(answer.payload);
  if (!proof) throw HandshakeError("malformed proof");
  const Proof expected = compute_proof(secret, Role::kClient, hello->purpose, hello->client, self,
                                       hello->client_nonce, challenge.server_nonce);
  if (!proofs_equal(expected, *proof)) {
    throw HandshakeError(fmt::format("node {} does not know the cluster secret", hello->client));
  }
  co_await write_frame(socket, make_frame(FrameType::kWelcome, ""), deadline);
  co_return AuthenticatedPeer{hello->client, hello->purpose};
}

}  // namespace taskraft::transport

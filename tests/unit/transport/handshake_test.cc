// The handshake's data and proofs: what each side can and cannot prove.
#include "transport/handshake.h"

#include <gtest/gtest.h>

namespace taskraft::transport {
namespace {

TEST(Handshake, HelloAndChallengeRoundTrip) {
  const Hello hello{Purpose::kSnapshot, 42, random_nonce()};
  const auto h = decode_hello(encode_hello(hello));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->purpose, Purpose::kSnapshot);
  EXPECT_EQ(h->client, 42u);
  EXPECT_EQ(h->client_nonce, hello.client_nonce);

  const Challenge challenge{7, random_nonce(), random_nonce()};
  const auto c = decode_challenge(encode_challenge(challenge));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->server, 7u);
  EXPECT_EQ(c->server_nonce, challenge.server_nonce);
  EXPECT_EQ(c->server_proof, challenge.server_proof);
}

TEST(Handshake, MalformedHelloIsRejected) {
  std::string hello = encode_hello({Purpose::kMessages, 1, random_nonce()});
  EXPECT_FALSE(decode_hello(hello.substr(1)));
  std::string wrong_magic = hello;
  wrong_magic[0] = 'X';
  EXPECT_FALSE(decode_hello(wrong_magic));
  std::string wrong_purpose = hello;
  wrong_purpose[5] = 9;
  EXPECT_FALSE(decode_hello(wrong_purpose));
  EXPECT_FALSE(decode_proof("short"));
}

TEST(Handshake, NoncesAreFresh) { EXPECT_NE(random_nonce(), random_nonce()); }

TEST(Handshake, ProofDependsOnSecretRoleAndEveryInput) {
  const Nonce cn = random_nonce();
  const Nonce sn = random_nonce();
  const Proof p = compute_proof("secret", Role::kClient, Purpose::kMessages, 1, 2, cn, sn);
  EXPECT_TRUE(proofs_equal(p, compute_proof("secret", Role::kClient, Purpose::kMessages, 1, 2, cn, sn)));
  EXPECT_FALSE(proofs_equal(p, compute_proof("secreT", Role::kClient, Purpose::kMessages, 1, 2, cn, sn)));
  EXPECT_FALSE(proofs_equal(p, compute_proof("secret", Role::kServer, Purpose::kMessages, 1, 2, cn, sn)));
  EXPECT_FALSE(proofs_equal(p, compute_proof("secret", Role::kClient, Purpose::kSnapshot, 1, 2, cn, sn)));
  EXPECT_FALSE(proofs_equal(p, compute_proof("secret", Role::kClient, Purpose::kMessages, 3, 2, cn, sn)));
  EXPECT_FALSE(proofs_equal(p, compute_proof("secret", Role::kClient, Purpose::kMessages, 1, 3, cn, sn)));
  EXPECT_FALSE(proofs_equal(p, compute_proof("secret", Role::kClient, Purpose::kMessages, 1, 2, sn, cn)));
}

}  // namespace
}  // namespace taskraft::transport

// A deterministic mutation fuzz of the peer and WAL decoders (wire/raft_codec.h): not libFuzzer
// (g++ has no -fsanitize=fuzzer), but a fixed-seed generator feeding each decoder hundreds of
// thousands of inputs (over a million in all, in about two seconds): valid encodings with bit flips, overwritten, inserted and deleted bytes,
// truncations and splices, and plain random bytes.
//
// What it guarantees, for every input: the decoder returns (no crash, no exception, no assert);
// whatever it accepts is a fixed point of re-encoding (decode(encode(v)) encodes to the same
// bytes), so a peer can never hand us a value we would store or forward differently than we read
// it; and plain random bytes are mostly refused rather than guessed at.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "wire/raft_codec.h"

namespace taskraft::wire {
namespace {

using Rng = std::mt19937_64;

raft::Entry make_entry(Rng& rng, raft::Index index) {
  raft::Entry e;
  e.term = rng() % 7 + 1;
  e.index = index;
  e.type = rng() % 4 == 0 ? raft::EntryType::kConfChange : raft::EntryType::kNormal;
  e.data.assign(rng() % 64, static_cast<char>('a' + rng() % 26));
  return e;
}

raft::SnapshotMeta make_meta(Rng& rng) {
  raft::SnapshotMeta m;
  m.index = rng() % 1000;
  m.term = rng() % 9;
  m.conf.voters = {1, 2, 3};
  if (rng() % 2) m.conf.learners = {4 + rng() % 3};
  return m;
}

std::vector<raft::Message> make_batch(Rng& rng) {
  std::vector<raft::Message> batch(rng() % 4 + 1);
  for (raft::Message& m : batch) {
    m.type = static_cast<raft::MessageType>(rng() % 14);
    m.from = rng() % 5;
    m.to = rng() % 5;
    m.term = rng() % 100;
    m.log_term = rng() % 100;
    m.index = rng() % 10'000;
    m.commit = rng() % 10'000;
    for (unsigned i = rng() % 4; i > 0; --i) m.entries.push_back(make_entry(rng, m.index + i));
    m.reject = rng() % 2;
    m.reject_hint = rng() % 50;
    if (rng() % 3 == 0) m.context.assign(rng() % 16, 'c');
    if (m.type == raft::MessageType::kSnap) m.snapshot = make_meta(rng);
    m.transfer = rng() % 5 == 0;
    m.commit_only = rng() % 5 == 0;
    m.takes_relay = rng() % 2;
  }
  return batch;
}

// One random damage of `bytes`; `other` supplies spliced-in material.
std::string mutate(Rng& rng, std::string bytes, const std::string& other) {
  for (unsigned n = rng() % 4 + 1; n > 0; --n) {
    std::size_t at = bytes.empty() ? 0 : rng() % bytes.size();
    switch (rng() % 7) {
      case 0: if (!bytes.empty()) bytes[at] = static_cast<char>(bytes[at] ^ (1u << (rng() % 8))); break;
      case 1: if (!bytes.empty()) bytes[at] = static_cast<char>(rng()); break;
      case 2: bytes.insert(at, 1, static_cast<char>(rng())); break;
      case 3: if (!bytes.empty()) bytes.erase(at, rng() % 8 + 1); break;
      case 4: bytes.resize(bytes.empty() ? 0 : rng() % bytes.size()); break;
      case 5: bytes.insert(at, other.substr(0, rng() % (other.size() + 1))); break;
      default: if (!bytes.empty()) bytes[at] = static_cast<char>(0xff); break;
    }
  }
  return bytes;
}

std::string random_bytes(Rng& rng) {
  std::string s(rng() % 64, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Feeds `count` damaged versions of `make()` encodings and `count / 4` random strings to
// `check`, which decodes and asserts; returns how many random strings were accepted.
template <typename Make, typename Check>
std::size_t fuzz(std::uint64_t seed, int count, Make make, Check check) {
  Rng rng(seed);
  std::string previous = make(rng);
  for (int i = 0; i < count; ++i) {
    std::string valid = make(rng);
    check(valid, true);
    check(mutate(rng, valid, previous), false);
    previous = std::move(valid);
  }
  std::size_t accepted = 0;
  for (int i = 0; i < count / 4; ++i) accepted += check(random_bytes(rng), false) ? 1 : 0;
  return accepted;
}

constexpr int kInputs = 200'000;

TEST(DecodeFuzz, MessageBatchesSurviveDamageAndAcceptOnlyStableValues) {
  std::size_t accepted = fuzz(1, kInputs, [](Rng& rng) { return encode_messages(make_batch(rng)); },
                              [](const std::string& bytes, bool must_decode) {
                                auto batch = decode_messages(bytes);
                                if (must_decode) { EXPECT_TRUE(batch.has_value()); }
                                if (!batch) return false;
                                std::string again = encode_messages(*batch);
                                auto redecoded = decode_messages(again);
                                EXPECT_TRUE(redecoded.has_value());
                                if (redecoded) { EXPECT_EQ(encode_messages(*redecoded), again); }
                                return true;
                              });
  EXPECT_LT(accepted, static_cast<std::size_t>(kInputs / 4 / 2)) << "random bytes are mostly refused";
}

TEST(DecodeFuzz, EntriesSurviveDamageAndAcceptOnlyStableValues) {
  std::size_t accepted = fuzz(2, kInputs, [](Rng& rng) { return encode_entry(make_entry(rng, rng() % 1000 + 1)); },
                              [](const std::string& bytes, bool must_decode) {
                                auto e = decode_entry(bytes);
                                if (must_decode) { EXPECT_TRUE(e.has_value()); }
                                if (!e) return false;
                                auto again = decode_entry(encode_entry(*e));
                                EXPECT_TRUE(again.has_value());
                                if (again) { EXPECT_EQ(*again, *e); }
                                return true;
                              });
  EXPECT_LT(accepted, static_cast<std::size_t>(kInputs / 4 / 2)) << "random bytes are mostly refused";
}

TEST(DecodeFuzz, HardStatesAndSnapshotMetasSurviveDamage) {
  fuzz(3, kInputs / 2,
       [](Rng& rng) { return encode_hard_state({rng() % 50, rng() % 4, rng() % 900}); },
       [](const std::string& bytes, bool must_decode) {
         auto hs = decode_hard_state(bytes);
         if (must_decode) { EXPECT_TRUE(hs.has_value()); }
         if (hs) { EXPECT_EQ(decode_hard_state(encode_hard_state(*hs)), hs); }
         return hs.has_value();
       });
  fuzz(4, kInputs / 2, [](Rng& rng) { return encode_snapshot_meta(make_meta(rng)); },
       [](const std::string& bytes, bool must_decode) {
         auto m = decode_snapshot_meta(bytes);
         if (must_decode) { EXPECT_TRUE(m.has_value()); }
         if (m) { EXPECT_EQ(decode_snapshot_meta(encode_snapshot_meta(*m)), m); }
         return m.has_value();
       });
}

}  // namespace
}  // namespace taskraft::wire

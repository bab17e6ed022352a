// libFuzzer target: the peer message decoder, wire::decode_messages, which reads the payload of
// every kMessages frame (and the message inside a snapshot Begin) that another node sends.
//
// Feeds: the input bytes, unchanged, as one frame payload. Seeds: make_seeds writes a valid
// encoding of each message type and a few mixed batches.
//
// Asserts, besides what ASan, UBSan and LeakSanitizer catch (no crash, out-of-bounds access,
// undefined behaviour or leak on any input):
//   - an accepted batch holds only known message and entry types (the enums cannot be out of range);
//   - re-encoding an accepted batch and decoding that again succeeds and gives back an equal batch,
//     field by field, and its encoding is a fixed point: a peer can never hand us a value that we
//     would store or forward differently from how we read it.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>

#include "require.h"
#include "wire/raft_codec.h"

namespace {

using taskraft::raft::EntryType;
using taskraft::raft::Message;
using taskraft::raft::MessageType;

// Every field of a message (raft::Message has no operator==), for an exact comparison.
auto fields(const Message& m) {
  return std::tie(m.type, m.from, m.to, m.term, m.log_term, m.index, m.entries, m.commit, m.reject,
                  m.reject_hint, m.context, m.snapshot, m.transfer, m.commit_only, m.takes_relay);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = taskraft::wire;
  const auto batch = wire::decode_messages(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!batch) return 0;

  for (const Message& m : *batch) {
    FUZZ_REQUIRE(m.type >= MessageType::kVote && m.type <= MessageType::kPropResp);
    for (const auto& e : m.entries) {
      FUZZ_REQUIRE(e.type == EntryType::kNormal || e.type == EntryType::kConfChange);
    }
  }

  const std::string encoded = wire::encode_messages(*batch);
  const auto again = wire::decode_messages(encoded);
  FUZZ_REQUIRE(again.has_value());
  FUZZ_REQUIRE(again->size() == batch->size());
  for (std::size_t i = 0; i < batch->size(); ++i) {
    FUZZ_REQUIRE(fields((*again)[i]) == fields((*batch)[i]));
  }
  FUZZ_REQUIRE(wire::encode_messages(*again) == encoded);
  return 0;
}

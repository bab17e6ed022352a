// Implements decode_budget.h with protobuf's wire-format reader: it walks the tags of the
// Envelope, and of each Message, SnapshotMeta and ConfState inside it, counting what decoding
// would build and skipping every other field. Field numbers are those of proto/raft.proto.
#include "wire/decode_budget.h"

#include <cstdint>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "raft.pb.h"
#include "raft/types.h"

namespace taskraft::wire {
namespace {

using google::protobuf::io::CodedInputStream;
using Wire = google::protobuf::internal::WireFormatLite;

constexpr int kEnvelopeMessages = 2;
constexpr int kMessageEntries = 7;
constexpr int kMessageSnapshot = 12;
constexpr int kSnapshotConf = 3;
constexpr int kConfVoters = 1;
constexpr int kConfLearners = 2;

struct Counts {
  std::size_t messages = 0;
  std::size_t entries = 0;
  std::size_t conf_ids = 0;
};

// What a field handler did with the field the stream is at (its tag read).
enum class Field { kSkip, kRead, kBad };

// Calls `on_field(number, wire type)` for each field up to the current limit; a field it answers
// kSkip for is skipped here.
template <typename OnField>
bool each_field(CodedInputStream& in, OnField on_field) {
  for (;;) {
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) return in.ConsumedEntireMessage();  // the limit reached, not a bad tag
    const Field f = on_field(Wire::GetTagFieldNumber(tag), Wire::GetTagWireType(tag));
    if (f == Field::kBad || (f == Field::kSkip && !Wire::SkipField(&in, tag))) return false;
  }
}

// Runs `scan` over the length-delimited field the stream is at (its length not yet read).
template <typename ScanFn>
Field nested(CodedInputStream& in, ScanFn scan) {
  std::uint32_t length = 0;
  if (!in.ReadVarint32(&length) || length > static_cast<std::uint32_t>(in.BytesUntilLimit())) return Field::kBad;
  const auto limit = in.PushLimit(static_cast<int>(length));
  const bool ok = scan(in);
  in.PopLimit(limit);
  return ok ? Field::kRead : Field::kBad;
}

constexpr bool delimited(Wire::WireType t) { return t == Wire::WIRETYPE_LENGTH_DELIMITED; }

bool scan_conf(CodedInputStream& in, Counts& c) {
  return each_field(in, [&](int number, Wire::WireType type) {
    if (number != kConfVoters && number != kConfLearners) return Field::kSkip;
    if (delimited(type)) {
      // Packed: at most one id per byte.
      return nested(in, [&](CodedInputStream& ids) {
        c.conf_ids += static_cast<std::size_t>(ids.BytesUntilLimit());
        return ids.Skip(ids.BytesUntilLimit());
      });
    }
    ++c.conf_ids;
    return Field::kSkip;
  });
}

bool scan_snapshot(CodedInputStream& in, Counts& c) {
  return each_field(in, [&](int number, Wire::WireType type) {
    if (number != kSnapshotConf || !delimited(type)) return Field::kSkip;
    return nested(in, [&](CodedInputStream& conf) { return scan_conf(conf, c); });
  });
}

bool scan_message(CodedInputStream& in, Counts& c) {
  return each_field(in, [&](int number, Wire::WireType type) {
    if (!delimited(type)) return Field::kSkip;
    if (number == kMessageEntries) {
      ++c.entries;
      return Field::kSkip;
    }
    if (number != kMessageSnapshot) return Field::kSkip;
    return nested(in, [&](CodedInputStream& snap) { return scan_snapshot(snap, c); });
  });
}

}  // namespace

std::optional<std::size_t> decoded_size(std::string_view envelope) {
  if (envelope.size() > static_cast<std::size_t>(INT32_MAX)) return std::nullopt;
  const int size = static_cast<int>(envelope.size());
  CodedInputStream in(reinterpret_cast<const std::uint8_t*>(envelope.data()), size);
  in.PushLimit(size);  // so that BytesUntilLimit() bounds every nested length
  Counts c;
  const bool ok = each_field(in, [&](int number, Wire::WireType type) {
    if (number != kEnvelopeMessages || !delimited(type)) return Field::kSkip;
    ++c.messages;
    return nested(in, [&](CodedInputStream& msg) { return scan_message(msg, c); });
  });
  if (!ok) return std::nullopt;
  // Each item exists twice while decoding: as the parsed protobuf object and as the core's value.
  return envelope.size() + c.messages * (sizeof(raftpb::Message) + sizeof(raft::Message)) +
         c.entries * (sizeof(raftpb::Entry) + sizeof(raft::Entry)) + c.conf_ids * 2 * sizeof(std::uint64_t);
}

}  // namespace taskraft::wire

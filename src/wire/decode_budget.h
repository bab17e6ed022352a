// How much memory decoding a peer frame would take, found from the raw bytes before any of it
// is parsed.
//
// Protobuf expands some inputs a lot: an empty Message inside an Envelope is 2 bytes on the wire
// and a few hundred bytes once parsed (the generated object, then the raft::Message built from
// it); an empty Entry is 2 bytes and about a hundred. A peer could fill a 64 MiB frame with them
// and make the node allocate gigabytes. decode_messages therefore asks this scan first and
// refuses a frame whose decoded form would exceed its budget.
//
// Guarantees: the scan allocates nothing, reads each byte at most once, and never fails a frame
// that encode_messages built from real messages (their decoded form stays within a few times
// their size, far inside the budget); malformed bytes make it return nullopt.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace taskraft::wire {

// The bytes decoding `envelope` (a raftpb::Envelope) would allocate, estimated from the counts of
// messages, entries and configuration ids it holds plus its own size; nullopt when it is not
// well-formed protobuf.
std::optional<std::size_t> decoded_size(std::string_view envelope);

// The most decode_messages lets a frame of `bytes` bytes expand to.
constexpr std::size_t decode_budget(std::size_t bytes) { return 4 * bytes + (4u << 20); }

}  // namespace taskraft::wire

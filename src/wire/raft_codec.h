// Conversion between the core's plain Raft values (raft/types.h) and their protobuf form
// (proto/raft.proto), used by the WAL for log records and by the transport for peer frames.
//
// Guarantees: encode followed by decode gives back an equal value; decode never throws and
// reports malformed or unknown-version input as std::nullopt instead of guessing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/types.h"

namespace taskraft::wire {

std::string encode_entry(const raft::Entry& e);
std::optional<raft::Entry> decode_entry(std::string_view bytes);

std::string encode_hard_state(const raft::HardState& hs);
std::optional<raft::HardState> decode_hard_state(std::string_view bytes);

std::string encode_snapshot_meta(const raft::SnapshotMeta& m);
std::optional<raft::SnapshotMeta> decode_snapshot_meta(std::string_view bytes);

// A batch of messages for one peer link frame (raftpb::Envelope). decode_messages also refuses
// bytes that would expand beyond decode_budget (decode_budget.h) once parsed.
std::string encode_messages(const std::vector<raft::Message>& msgs);
std::optional<std::vector<raft::Message>> decode_messages(std::string_view bytes);

}  // namespace taskraft::wire

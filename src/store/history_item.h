// One entry of a task's history: the change that made `version`, where it sits in the Raft log,
// when (log time), by whom, and which fields changed.
//
// `changes_json` is a JSON object {"field": {"from": old, "to": new}, ...} with the values as the
// task JSON shows them (on create the fields that have a value, "from" null; {} on delete), kept as text so that it reads back
// byte for byte as written.
#pragma once

#include <cstdint>
#include <string>

namespace taskraft::store {

struct HistoryItem {
  std::uint64_t version = 0;
  std::uint64_t raft_index = 0;
  std::uint64_t raft_term = 0;
  std::int64_t at_ms = 0;
  std::string actor;
  std::string op;  // "create", "update" or "delete"
  std::string changes_json;

  friend bool operator==(const HistoryItem&, const HistoryItem&) = default;
};

}  // namespace taskraft::store

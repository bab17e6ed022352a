// The replicated application of the simulator: the ordered record of applied client commands
// and the membership history.
//
// Like taskraft's MySQL store it is durable on its own: every apply is atomic and survives a crash
// together with its applied index, so after a restart it continues exactly where it stopped.
// It checks, as it goes, that committed entries arrive in order without gaps and that no client
// command is applied twice. A snapshot is a consistent copy of it at an applied index; installing
// one replaces the whole state atomically and remembers the snapshot point (a real store keeps
// applied_index, term and membership in the same transaction), which lets a restarting node
// finish a snapshot installation that a crash interrupted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "raft/raft.h"

namespace taskraft::sim {

using CommandId = std::uint64_t;  // unique per client proposal; 0 is never used

// A client command's payload: its id plus `padding` filler bytes.
std::string encode_command(CommandId id, std::size_t padding);
// The command id of a normal entry's payload; nullopt for the leader's empty no-op.
std::optional<CommandId> decode_command(const std::string& data);

// The state of the application at one point, as shipped inside a snapshot.
struct SnapshotData {
  raft::SnapshotMeta meta;
  std::vector<std::pair<raft::Index, CommandId>> commands;  // every command applied up to meta.index
};

class StateMachine {
 public:
  // A fresh store whose membership is `initial` (the initial voters, or nothing for a joiner).
  explicit StateMachine(const raft::ConfState& initial);

  raft::Index applied() const { return applied_; }
  const raft::ConfState& conf() const { return conf_history_.back().second; }
  // The membership in force after applying `index` (index >= the last snapshot installed).
  raft::ConfState conf_at(raft::Index index) const;
  // Applies the next committed entry. `conf` is the membership after it (the core's answer to
  // apply_conf_change for a kConfChange entry). Returns the command it carried, if any.
  std::optional<CommandId> apply(const raft::Entry& e, const raft::ConfState* new_conf);
  // A consistent copy at `meta.index`, which must be applied already.
  std::shared_ptr<const SnapshotData> snapshot_at(const raft::SnapshotMeta& meta) const;
  void restore(const SnapshotData& data);
  // The snapshot point last installed (index 0 when none).
  const raft::SnapshotMeta& restored() const { return restored_; }

  bool contains(CommandId id) const { return seen_.count(id) != 0; }
  std::optional<CommandId> command_at(raft::Index index) const;
  const std::vector<std::pair<raft::Index, CommandId>>& commands() const { return commands_; }

 private:
  raft::Index applied_ = 0;
  std::vector<std::pair<raft::Index, CommandId>> commands_;  // ascending index
  std::unordered_set<CommandId> seen_;
  std::vector<std::pair<raft::Index, raft::ConfState>> conf_history_;  // ascending, never empty
  raft::SnapshotMeta restored_;
};

}  // namespace taskraft::sim

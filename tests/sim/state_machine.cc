// The simulated application; see state_machine.h.
#include "state_machine.h"

#include <algorithm>
#include <cassert>
#include <charconv>

#include "trace.h"
#include "violation.h"

namespace taskraft::sim {

namespace {
using ull = unsigned long long;

bool by_index(const std::pair<raft::Index, CommandId>& a, raft::Index index) {
  return a.first < index;
}
}  // namespace

std::string encode_command(CommandId id, std::size_t padding) {
  return "c" + std::to_string(id) + "|" + std::string(padding, 'x');
}

std::optional<CommandId> decode_command(const std::string& data) {
  if (data.size() < 3 || data[0] != 'c') return std::nullopt;
  CommandId id = 0;
  const auto [end, ec] = std::from_chars(data.data() + 1, data.data() + data.size(), id);
  if (ec != std::errc() || end == data.data() + data.size() || *end != '|') return std::nullopt;
  return id;
}

StateMachine::StateMachine(const raft::ConfState& initial) {
  conf_history_.emplace_back(0, initial);
  restored_.conf = initial;
}

raft::ConfState StateMachine::conf_at(raft::Index index) const {
  auto it = std::upper_bound(conf_history_.begin(), conf_history_.end(), index,
                             [](raft::Index i, const auto& c) { return i < c.first; });
  assert(it != conf_history_.begin());
  return std::prev(it)->second;
}

std::optional<CommandId> StateMachine::apply(const raft::Entry& e, const raft::ConfState* new_conf) {
  if (e.index != applied_ + 1)
    violate("apply in order", strf("entry %llu handed out for applying after %llu",
                                   static_cast<ull>(e.index), static_cast<ull>(applied_)));
  applied_ = e.index;
  if (new_conf) conf_history_.emplace_back(e.index, *new_conf);
  if (e.type != raft::EntryType::kNormal) return std::nullopt;
  const auto id = decode_command(e.data);
  if (!id) return std::nullopt;
  if (!seen_.insert(*id).second)
    violate("exactly-once apply", strf("command %llu applied a second time at index %llu",
                                       static_cast<ull>(*id), static_cast<ull>(e.index)));
  commands_.emplace_back(e.index, *id);
  return id;
}

std::shared_ptr<const SnapshotData> StateMachine::snapshot_at(const raft::SnapshotMeta& meta) const {
  assert(meta.index <= applied_);
  auto data = std::make_shared<SnapshotData>();
  data->meta = meta;
  auto end = std::lower_bound(commands_.begin(), commands_.end(), meta.index + 1, by_index);
  data->commands.assign(commands_.begin(), end);
  return data;
}

void StateMachine::restore(const SnapshotData& data) {
  applied_ = data.meta.index;
  commands_ = data.commands;
  seen_.clear();
  for (const auto& [index, id] : commands_) seen_.insert(id);
  conf_history_.assign(1, {data.meta.index, data.meta.conf});
  restored_ = data.meta;
}

std::optional<CommandId> StateMachine::command_at(raft::Index index) const {
  auto it = std::lower_bound(commands_.begin(), commands_.end(), index, by_index);
  if (it == commands_.end() || it->first != index) return std::nullopt;
  return it->second;
}

}  // namespace taskraft::sim

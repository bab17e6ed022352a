// The rules by which a sequence of WAL records defines a Raft log: suffix overwrite and
// snapshot points.
//
// It is used twice, so that what the writer accepts and what recovery rebuilds cannot drift
// apart: recovery replays every entry record through a LogShape<raft::Entry>, and the live Wal
// keeps a LogShape<IndexTerm> (indexes and terms only) to validate appends and to know its last
// index.
//
// Rules:
//   append(x)         an item at an index already present replaces it and everything after it;
//                     an item that continues the run is appended; an item that does neither (a
//                     gap, or below the run's start) starts a new run. The last case occurs
//                     legitimately when the oldest segments were compacted away; if it leaves a
//                     hole in the final log, hole() reports it.
//   mark_snapshot(m)  the state machine holds everything up to m.index: items at or below it are
//                     dropped; if the run has an item at m.index of another term, everything after
//                     it belongs to a history the snapshot replaced and is dropped too (as the
//                     Raft core itself does when it restores such a snapshot).
// Guarantees: when hole() is empty, items() are contiguous and start at snapshot().index + 1.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

#include "raft/types.h"

namespace taskraft::wal {

// What the live Wal remembers of each entry.
struct IndexTerm {
  raft::Index index = 0;
  raft::Term term = 0;

  friend bool operator==(const IndexTerm&, const IndexTerm&) = default;
};

template <typename Item>
class LogShape {
 public:
  void append(Item item) {
    if (!items_.empty() && item.index >= items_.front().index &&
        item.index <= items_.back().index + 1) {
      items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(item.index - items_.front().index),
                   items_.end());
    } else {
      items_.clear();
    }
    items_.push_back(std::move(item));
  }

  void mark_snapshot(const raft::SnapshotMeta& m) {
    if (!items_.empty() && m.index >= items_.front().index) {
      if (m.index > items_.back().index || items_[m.index - items_.front().index].term != m.term) {
        items_.clear();
      } else {
        items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(
                                                          m.index - items_.front().index + 1));
      }
    }
    snapshot_ = m;
  }

  const raft::SnapshotMeta& snapshot() const { return snapshot_; }
  raft::Index last_index() const { return items_.empty() ? snapshot_.index : items_.back().index; }

  std::optional<std::string> hole() const {
    if (items_.empty() || items_.front().index == snapshot_.index + 1) return std::nullopt;
    return "the log's entries start at index " + std::to_string(items_.front().index) +
           " but the snapshot point is index " + std::to_string(snapshot_.index) +
           ": entries in between are missing";
  }

  std::deque<Item>& items() { return items_; }
  const std::deque<Item>& items() const { return items_; }

 private:
  std::deque<Item> items_;
  raft::SnapshotMeta snapshot_;
};

}  // namespace taskraft::wal

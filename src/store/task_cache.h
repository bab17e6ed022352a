// A bounded in-memory copy of task bodies (the JSON a get answers), kept by apply in log order,
// so that a get is answered without a MySQL query. Lists, searches and histories still read
// MySQL; the cache only ever answers "task N as of now".
//
// Guarantees (what makes a hit as good as the MySQL row for every consistency level):
// - apply publishes the changes of a batch after its MySQL commit and before the node announces
//   the batch applied: every task the batch created or changed is put (replacing what was there),
//   every task it deleted is removed. So an entry present is the task after every published
//   batch, and a read that waited for applied index A and finds one sees a state at or after A.
// - A miss means nothing: the caller reads MySQL, and may offer what it read with fill(). A fill
//   is taken only when nothing newer can exist: the entry is still absent, and no entry was
//   removed (deleted or evicted) after the last batch published before the MySQL read began.
//   Without that check, a read racing a delete could bring the deleted task back.
// - Memory stays within the budget given (bodies plus bookkeeping); the least recently used
//   entries are evicted first. A budget of 0 disables the cache: every lookup misses.
// - reset() forgets everything, for when the whole state is replaced (a snapshot is installed).
//
// Thread-safety: every member may be called from any thread (one mutex; each call is short).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "raft/types.h"
#include "store/task.h"

namespace taskraft::store {

struct CachedTask {
  std::uint64_t version = 0;
  std::string body;  // task_body() of the task at that version
};

// One task's change in an apply batch: its new body, or nullopt when it was deleted.
struct TaskChange {
  TaskId id = 0;
  std::optional<CachedTask> now;
};

struct TaskCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

class TaskCache {
 public:
  explicit TaskCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

  // Apply side. `through`: the last index of the batch, committed to MySQL before this call.
  void publish(std::vector<TaskChange> changes, raft::Index through);
  void reset(raft::Index through);

  // Read side.
  std::optional<CachedTask> lookup(TaskId id);
  // The last index published; take it BEFORE a MySQL read whose result is to be offered to fill().
  raft::Index published() const;
  void fill(TaskId id, CachedTask task, raft::Index published_before_read);

  TaskCacheStats stats() const;

 private:
  struct Slot {
    CachedTask task;
    std::list<TaskId>::iterator age;  // position in lru_
  };
  static std::size_t cost(const CachedTask& t);
  void put(TaskId id, CachedTask task);     // caller holds mu_
  void remove(TaskId id);                   // caller holds mu_; the removal is at published_
  void evict_over_budget();                 // caller holds mu_

  const std::size_t budget_;
  mutable std::mutex mu_;
  std::unordered_map<TaskId, Slot> slots_;
  std::list<TaskId> lru_;  // most recently used first
  std::size_t bytes_ = 0;
  raft::Index published_ = 0;
  raft::Index last_removal_ = 0;  // published_ when an entry was last removed
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace taskraft::store

// The task-body cache (see task_cache.h).
#include "store/task_cache.h"

namespace taskraft::store {

// The body plus what an entry costs around it (map node, LRU node, strings' headers).
std::size_t TaskCache::cost(const CachedTask& t) { return t.body.size() + 128; }

void TaskCache::publish(std::vector<TaskChange> changes, raft::Index through) {
  std::lock_guard lock(mu_);
  published_ = through;
  if (budget_ == 0) return;
  for (auto& c : changes) {
    if (c.now) {
      put(c.id, std::move(*c.now));
    } else {
      remove(c.id);
    }
  }
  evict_over_budget();
}

void TaskCache::reset(raft::Index through) {
  std::lock_guard lock(mu_);
  slots_.clear();
  lru_.clear();
  bytes_ = 0;
  published_ = through;
  last_removal_ = through;
}

std::optional<CachedTask> TaskCache::lookup(TaskId id) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(id);
  if (it == slots_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second.age);
  return it->second.task;
}

raft::Index TaskCache::published() const {
  std::lock_guard lock(mu_);
  return published_;
}

void TaskCache::fill(TaskId id, CachedTask task, raft::Index published_before_read) {
  std::lock_guard lock(mu_);
  if (budget_ == 0 || last_removal_ > published_before_read || slots_.contains(id)) return;
  put(id, std::move(task));
  evict_over_budget();
}

TaskCacheStats TaskCache::stats() const {
  std::lock_guard lock(mu_);
  return {hits_, misses_, slots_.size(), bytes_};
}

void TaskCache::put(TaskId id, CachedTask task) {
  auto [it, fresh] = slots_.try_emplace(id);
  if (fresh) {
    lru_.push_front(id);
    it->second.age = lru_.begin();
  } else {
    bytes_ -= cost(it->second.task);
    lru_.splice(lru_.begin(), lru_, it->second.age);
  }
  bytes_ += cost(task);
  it->second.task = std::move(task);
}

void TaskCache::remove(TaskId id) {
  last_removal_ = published_;
  auto it = slots_.find(id);
  if (it == slots_.end()) return;
  bytes_ -= cost(it->second.task);
  lru_.erase(it->second.age);
  slots_.erase(it);
}

void TaskCache::evict_over_budget() {
  while (bytes_ > budget_ && !lru_.empty()) remove(lru_.back());
}

}  // namespace taskraft::store

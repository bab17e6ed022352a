// Implements applier.h.
#include "node/applier.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <span>

#include "store/error.h"
#include "store/store.h"

namespace taskraft::node {

Applier::Applier(std::unique_ptr<store::Store> store, ApplyWaiters& waiters)
    : store_(std::move(store)), waiters_(waiters) {
  // Somebody started waiting: the transaction held open for more entries may be wanted now.
  // Notified under our lock, so a wait that starts while wait_for_work() decides is not missed.
  waiters_.on_wait([this](raft::Index) {
    std::lock_guard lock(mu_);
    cv_.notify_one();
  });
}

Applier::~Applier() { stop(); }

void Applier::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "apply");
    run();
  });
}

void Applier::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Applier::enqueue(std::vector<raft::Entry> entries, std::map<raft::Index, store::Membership> confs) {
  if (entries.empty()) return;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Batch{std::move(entries), std::move(confs)});
  }
  cv_.notify_one();
}

store::AppliedState Applier::import_snapshot(const std::string& path) {
  std::promise<store::AppliedState> done;
  auto result = done.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Import{path, std::move(done)});
  }
  cv_.notify_one();
  return result.get();
}

void Applier::run() {
  for (;;) {
    std::deque<Work> work;
    bool stopping;
    {
      std::unique_lock lock(mu_);
      wait_for_work(lock);
      work.swap(queue_);
      stopping = stopping_;
    }
    if (work.empty()) {  // the open transaction is due, or stopping with nothing left to decide
      if (open_.entries > 0 && !commit()) return;
      if (stopping) return;
      continue;
    }
    // Consecutive batches are decided together: under load the apply thread falls behind by a
    // few Ready cycles while it commits, and catches up with one call instead of many.
    Batch merged;
    auto flush = [&] {
      bool ok = merged.entries.empty() || decide(std::move(merged));
      merged = Batch{};
      return ok;
    };
    for (auto& w : work) {
      if (auto* b = std::get_if<Batch>(&w)) {
        std::move(b->entries.begin(), b->entries.end(), std::back_inserter(merged.entries));
        merged.confs.merge(b->confs);
        continue;
      }
      if (!flush() || (open_.entries > 0 && !commit())) return;
      import_with_retry(std::get<Import>(w));
    }
    if (!flush()) return;
    if (commit_due() && !commit()) return;
  }
}

void Applier::wait_for_work(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    if (stopping_ || !queue_.empty()) return;
    if (open_.entries == 0) {
      cv_.wait(lock);
      continue;
    }
    // The waiters' lock is taken inside ours; their hook takes neither while holding the other.
    const Clock::time_point at = pacing_.commit_at(open_, waiters_.first_waited());
    if (at <= Clock::now()) return;
    cv_.wait_until(lock, at);
  }
}

bool Applier::commit_due() const {
  return open_.entries > 0 && pacing_.commit_at(open_, waiters_.first_waited()) <= Clock::now();
}

bool Applier::decide(Batch&& batch) {
  const std::size_t from = uncommitted_.entries.size();
  if (from == 0) open_.oldest_since = Clock::now();
  std::move(batch.entries.begin(), batch.entries.end(), std::back_inserter(uncommitted_.entries));
  uncommitted_.confs.merge(batch.confs);
  open_.entries = uncommitted_.entries.size();
  open_.last_index = uncommitted_.entries.back().index;
  return with_retry("apply", [&](bool again) { decide_from(again ? 0 : from); });
}

void Applier::decide_from(std::size_t from) {
  auto entries = std::span(uncommitted_.entries).subspan(from);
  auto outcomes = store_->decide(entries, uncommitted_.confs);
  std::vector<AppliedEntry> decided;
  decided.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i)
    decided.push_back({entries[i].index, entries[i].term, std::move(outcomes[i])});
  waiters_.on_decided(decided);
}

bool Applier::commit() {
  return with_retry("commit", [&](bool again) {
    if (again) decide_from(0);
    const raft::Index applied = store_->commit();
    ++batches_;
    uncommitted_ = Batch{};
    open_ = CommitPacing::Open{};
    waiters_.on_applied(applied);
  });
}

bool Applier::with_retry(const char* what, const std::function<void(bool again)>& step) {
  for (int attempt = 0;; ++attempt) {
    try {
      const auto start = Clock::now();
      step(attempt > 0);
      batch_seconds_ = batch_seconds_ + std::chrono::duration<double>(Clock::now() - start).count();
      store_up_ = true;
      return true;
    } catch (const store::UnsupportedCommand& e) {
      // A newer node wrote a command this binary does not understand: applying anything after
      // it would diverge from the other nodes. Stop rather than guess.
      spdlog::critical("cannot apply entry: {}; upgrade this node", e.what());
      spdlog::shutdown();
      std::_Exit(3);
    } catch (const std::exception& e) {
      if (store_up_.exchange(false) || attempt == 0)
        spdlog::error("MySQL {} failed (will retry until it answers): {}", what, e.what());
      if (!backoff(attempt)) return false;
    }
  }
}

void Applier::import_with_retry(Import& imp) {
  for (int attempt = 0;; ++attempt) {
    try {
      auto info = store_->import_snapshot(imp.path);
      store_up_ = true;
      waiters_.on_applied(info.applied.index);
      imp.done.set_value(info.applied);
      return;
    } catch (const store::SnapshotError& e) {
      imp.done.set_exception(std::current_exception());
      return;
    } catch (const std::exception& e) {
      if (store_up_.exchange(false) || attempt == 0)
        spdlog::error("MySQL snapshot import failed (will retry): {}", e.what());
      if (!backoff(attempt)) {
        imp.done.set_exception(std::current_exception());
        return;
      }
    }
  }
}

bool Applier::backoff(int attempt) {
  auto delay = std::chrono::milliseconds(std::min(2000, 50 << std::min(attempt, 6)));
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, delay, [&] { return stopping_; });
}

}  // namespace taskraft::node

// Implements applier.h.
#include "node/applier.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "store/error.h"
#include "store/store.h"

namespace taskraft::node {

Applier::Applier(std::unique_ptr<store::Store> store, ApplyWaiters& waiters)
    : store_(std::move(store)), waiters_(waiters) {
  // Somebody started waiting: entries gathered for a later transaction may now be wanted at once.
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
  queued_entries_ += entries.size();
  {
    std::lock_guard lock(mu_);
    if (queued_.entries == 0) queued_.oldest_since = Clock::now();
    queued_.entries += entries.size();
    queued_.last_index = entries.back().index;
    queue_.push_back(Batch{std::move(entries), std::move(confs)});
  }
  cv_.notify_one();
}

store::AppliedState Applier::import_snapshot(const std::string& path) {
  std::promise<store::AppliedState> done;
  auto result = done.get_future();
  {
    std::lock_guard lock(mu_);
    queued_.other_work = true;
    queue_.push_back(Import{path, std::move(done)});
  }
  cv_.notify_one();
  return result.get();
}

void Applier::run() {
  for (;;) {
    std::deque<Work> work;
    {
      std::unique_lock lock(mu_);
      wait_for_work(lock);
      if (queue_.empty()) return;  // stopping with nothing left
      work.swap(queue_);
      queued_ = {};
    }
    // Consecutive batches merge into one store transaction: under load the apply thread falls
    // behind by a few Ready cycles and catches up with one commit instead of many.
    Batch merged;
    auto flush = [&] {
      if (merged.entries.empty()) return;
      apply_with_retry(merged);
      merged = Batch{};
    };
    for (auto& w : work) {
      if (auto* b = std::get_if<Batch>(&w)) {
        std::move(b->entries.begin(), b->entries.end(), std::back_inserter(merged.entries));
        merged.confs.merge(b->confs);
      } else {
        flush();
        import_with_retry(std::get<Import>(w));
      }
    }
    flush();
  }
}

void Applier::wait_for_work(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    if (stopping_) return;
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    // The waiters' lock is taken inside ours; their hook takes neither while holding the other.
    const Clock::time_point at = pacing_.apply_at(queued_, waiters_.first_waited());
    if (at <= Clock::now()) return;
    cv_.wait_until(lock, at);
  }
}

std::vector<AppliedEntry> Applier::with_outcomes(const Batch& batch, const std::vector<store::Outcome>& outcomes) {
  std::vector<AppliedEntry> out;
  out.reserve(batch.entries.size());
  for (std::size_t i = 0; i < batch.entries.size(); ++i)
    out.push_back({batch.entries[i].index, batch.entries[i].term, outcomes[i]});
  return out;
}

void Applier::apply_with_retry(Batch& batch) {
  // Writers hear their outcome as soon as apply has decided it, not after MySQL's commit round
  // trip (measured on the leader at 64 clients: ~6 ms a batch); reads wait for the commit.
  auto decided = [&](const std::vector<store::Outcome>& outcomes) {
    waiters_.on_decided(with_outcomes(batch, outcomes));
  };
  for (int attempt = 0;; ++attempt) {
    try {
      const auto start = Clock::now();
      auto outcomes = store_->apply(batch.entries, batch.confs, decided);
      batch_seconds_ = batch_seconds_ + std::chrono::duration<double>(Clock::now() - start).count();
      ++batches_;
      store_up_ = true;
      std::vector<AppliedEntry> applied = with_outcomes(batch, outcomes);
      queued_entries_ -= batch.entries.size();
      // After a restart the core hands out again what MySQL may already hold (its durable commit
      // index can be behind MySQL's applied index: a commit index alone is written without a
      // sync); the store skips those entries, and its applied index stays where it was.
      waiters_.on_applied(applied, std::max(batch.entries.back().index, waiters_.applied()));
      return;
    } catch (const store::UnsupportedCommand& e) {
      // A newer node wrote a command this binary does not understand: applying anything after
      // it would diverge from the other nodes. Stop rather than guess.
      spdlog::critical("cannot apply entry: {}; upgrade this node", e.what());
      spdlog::shutdown();
      std::_Exit(3);
    } catch (const std::exception& e) {
      if (store_up_.exchange(false) || attempt == 0)
        spdlog::error("MySQL apply failed (will retry until it answers): {}", e.what());
      if (!backoff(attempt)) return;
    }
  }
}

void Applier::import_with_retry(Import& imp) {
  for (int attempt = 0;; ++attempt) {
    try {
      auto info = store_->import_snapshot(imp.path);
      store_up_ = true;
      queued_entries_ = 0;
      waiters_.on_applied({}, info.applied.index);
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

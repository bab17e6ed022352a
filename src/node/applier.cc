// Implements applier.h.
#include "node/applier.h"

#include <poll.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <span>
#include <system_error>

#include "store/error.h"
#include "store/store.h"

namespace taskraft::node {

Applier::Applier(std::unique_ptr<store::Store> store, ApplyWaiters& waiters)
    : store_(std::move(store)), waiters_(waiters), wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd for the apply thread");
  // Somebody started waiting: the transaction held open for more entries may be wanted now. If
  // the thread is not holding one back, it looks at first_waited() before it next sleeps.
  waiters_.on_wait([this](raft::Index) {
    if (holding_.load()) wake();
  });
}

Applier::~Applier() {
  stop();
  ::close(wake_fd_);
}

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
  wake();
  if (thread_.joinable()) thread_.join();
}

void Applier::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);  // full only if never read
}

void Applier::enqueue(std::vector<raft::Entry> entries, std::map<raft::Index, store::Membership> confs) {
  if (entries.empty()) return;
  bool sleeping;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Batch{std::move(entries), std::move(confs)});
    sleeping = sleeping_;
  }
  if (sleeping) wake();  // a busy apply thread finds the batch before it next sleeps
}

store::AppliedState Applier::import_snapshot(const std::string& path) {
  std::promise<store::AppliedState> done;
  auto result = done.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Import{path, std::move(done)});
  }
  wake();
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
    if (!take_answer(/*wait=*/false)) return;
    // Consecutive batches are decided together: under load the apply thread falls behind by a
    // few Ready cycles while it works, and catches up with one call instead of many.
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
      if (!flush() || !commit_all()) return;
      import_with_retry(std::get<Import>(w));
    }
    if (!flush()) return;
    if (stopping && work.empty()) {  // everything queued before stop() is decided
      commit_all();
      return;
    }
    if (commit_due() && !send_commit()) return;
  }
}

void Applier::wait_for_work(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    if (stopping_ || !queue_.empty()) return;
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {-1, 0, 0}};
    std::optional<timespec> timeout;
    if (store_->committing()) {  // the answer, or work to decide meanwhile
      const auto socket = store_->commit_socket();
      if (!socket) return;  // read already
      fds[1] = {socket->fd, socket->events, 0};
    } else if (open_.entries > 0) {
      holding_ = true;  // before first_waited(): a waiter added after that call wakes us
      const Clock::time_point at = pacing_.commit_at(open_, waiters_.first_waited());
      const Clock::time_point now = Clock::now();
      if (at <= now) {
        holding_ = false;
        return;
      }
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(at - now).count();
      timeout = timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    }
    sleeping_ = true;  // under mu_: enqueue() then either sees it or queued before our check
    lock.unlock();
    const int ready = ::ppoll(fds, 2, timeout ? &*timeout : nullptr, nullptr);
    std::uint64_t count;
    while (::read(wake_fd_, &count, sizeof count) > 0) {
    }
    holding_ = false;
    lock.lock();
    sleeping_ = false;
    if (ready == 0 || fds[1].revents != 0) return;  // the transaction is due, or the answer came
  }
}

bool Applier::commit_due() const {
  return open_.entries > 0 && !store_->committing() &&
         pacing_.commit_at(open_, waiters_.first_waited()) <= Clock::now();
}

bool Applier::decide(Batch&& batch) {
  const std::size_t from = uncommitted_.entries.size();
  const std::size_t count = batch.entries.size();
  if (open_.entries == 0) open_.oldest_since = Clock::now();
  std::move(batch.entries.begin(), batch.entries.end(), std::back_inserter(uncommitted_.entries));
  uncommitted_.confs.merge(batch.confs);
  const bool ok = with_retry("apply", [&](bool again) { decide_from(again ? 0 : from); });
  // After a failure the store rolled back the transaction on its way too: all is open again.
  open_.entries = store_->committing() ? open_.entries + count : uncommitted_.entries.size();
  open_.last_index = uncommitted_.entries.back().index;
  return ok;
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

bool Applier::send_commit() {
  return with_retry("commit", [&](bool again) {
    if (again) {
      redo();
    } else {
      store_->send_commit();
      // Nothing to send when every entry decided was one MySQL held already.
      if (!store_->committing()) committed(store_->commit());
    }
    open_ = CommitPacing::Open{};
  });
}

bool Applier::take_answer(bool wait) {
  if (!store_->committing()) return true;
  return with_retry("commit", [&](bool again) {
    if (again) {
      redo();
    } else if (auto applied = store_->commit_answer(wait)) {
      committed(*applied);
    }
  });
}

bool Applier::commit_all() {
  if (!take_answer(/*wait=*/true)) return false;
  if (open_.entries == 0) return true;
  return with_retry("commit", [&](bool again) {
    if (again) {
      redo();
    } else {
      committed(store_->commit());
    }
  });
}

void Applier::redo() {
  decide_from(0);
  committed(store_->commit());
}

void Applier::committed(raft::Index applied) {
  ++batches_;
  auto& entries = uncommitted_.entries;
  entries.erase(entries.begin(), std::find_if(entries.begin(), entries.end(),
                                              [&](const raft::Entry& e) { return e.index > applied; }));
  std::erase_if(uncommitted_.confs, [&](const auto& conf) { return conf.first <= applied; });
  if (entries.empty()) open_ = CommitPacing::Open{};
  waiters_.on_applied(applied);
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

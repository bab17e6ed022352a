// A group of threads that reports failures after everyone ended (see thread_group.h).
#include "cli/thread_group.h"

namespace taskraft::cli {

ThreadGroup::ThreadGroup(std::size_t count, std::function<void(std::size_t)> fn)
    : fn_(std::move(fn)), failures_(count) {
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    threads_.emplace_back([this, i] {
      try {
        fn_(i);
      } catch (...) {
        failures_[i] = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      ++ended_;
      ended_cv_.notify_all();
    });
  }
}

ThreadGroup::~ThreadGroup() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

bool ThreadGroup::wait_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return ended_cv_.wait_until(lock, deadline, [&] { return ended_ == threads_.size(); });
}

void ThreadGroup::join() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  for (const std::exception_ptr& f : failures_) {
    if (f) std::rethrow_exception(f);
  }
}

void on_threads(std::size_t count, std::function<void(std::size_t)> fn) { ThreadGroup(count, std::move(fn)).join(); }

}  // namespace taskraft::cli

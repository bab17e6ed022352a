// A fixed group of threads running one function each, for the benchmark's blocking steps (the
// clients' threads, their preparation) and its event-loop threads.
//
// Guarantees: thread i runs fn(i) once; a failure (exception) of one thread does not stop the
// others, and join() re-throws the first one (by thread number) after every thread has ended;
// wait_until() tells, without joining, whether every thread has ended by a deadline; the
// destructor joins threads that were not joined.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace taskraft::cli {

class ThreadGroup {
 public:
  ThreadGroup(std::size_t count, std::function<void(std::size_t)> fn);
  ~ThreadGroup();
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;

  // True when every thread has ended; otherwise waits until they have or `deadline` came.
  bool wait_until(std::chrono::steady_clock::time_point deadline);
  void join();

 private:
  std::function<void(std::size_t)> fn_;
  std::vector<std::exception_ptr> failures_;
  std::mutex mutex_;
  std::condition_variable ended_cv_;
  std::size_t ended_ = 0;
  std::vector<std::thread> threads_;
};

// Runs fn(i) for i in [0, count), each on a thread of its own, and re-throws the first failure.
void on_threads(std::size_t count, std::function<void(std::size_t)> fn);

}  // namespace taskraft::cli

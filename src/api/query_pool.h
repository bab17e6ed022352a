// The threads that do the API's blocking work: MySQL reads, each thread on its own
// store::Reader (its own connection), and password hashing.
//
// Guarantees: jobs run in submission order, each on one pool thread and never on an io thread,
// so a slow query delays other queries only, never the HTTP traffic. A thread connects lazily;
// when MySQL cannot be reached it passes nullptr to the job and tries again for the next one.
// stop() runs every job already submitted, then joins the threads; submitting after stop() is a
// bug (asserted).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/dsn.h"

namespace taskraft::store {
class Reader;
}

namespace taskraft::api {

class QueryPool {
 public:
  using Job = std::function<void(store::Reader*)>;

  QueryPool(store::Dsn dsn, int threads);
  ~QueryPool();
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  void start();
  void submit(Job job);
  void stop();

 private:
  void run();

  store::Dsn dsn_;
  int size_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace taskraft::api

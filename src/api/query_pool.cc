// Query threads (see query_pool.h).
#include "api/query_pool.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <cassert>
#include <optional>

#include "store/error.h"
#include "store/reader.h"

namespace taskraft::api {

QueryPool::QueryPool(store::Dsn dsn, int threads) : dsn_(std::move(dsn)), size_(threads) { assert(threads > 0); }

QueryPool::~QueryPool() { stop(); }

void QueryPool::start() {
  assert(threads_.empty());
  for (int i = 0; i < size_; ++i) {
    threads_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "query");
      run();
    });
  }
}

void QueryPool::submit(Job job) {
  {
    std::lock_guard lock(mu_);
    assert(!stopping_ && "submit after stop");
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void QueryPool::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void QueryPool::run() {
  std::optional<store::Reader> reader;
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    if (!reader) {
      try {
        reader.emplace(dsn_);
      } catch (const store::DbError& e) {
        spdlog::warn("api: no read connection to {}: {}", store::describe(dsn_), e.what());
      }
    }
    job(reader ? &*reader : nullptr);
  }
}

}  // namespace taskraft::api

// The apply thread: hands committed entries to the MySQL store in batches, in log order, and
// completes the requests waiting on them.
//
// Guarantees:
//  - Entries reach the store in the order they were enqueued, each batch in one transaction that
//    also records the applied index (the store skips what it already holds), so a crash at any
//    point neither loses nor doubles a change.
//  - A store failure (MySQL down) never skips an entry: the batch is retried with backoff until
//    MySQL answers again; meanwhile store_up() is false and the raft thread keeps replicating.
//  - import_snapshot() runs after everything enqueued before it, and returns only once the
//    snapshot is loaded and durable in MySQL.
//  - A write's waiter completes as soon as its batch's outcomes are decided, before the batch's
//    commit round trip to MySQL (store.h apply's `decided`); reads wait for the commit.
//  - Pacing (apply_pacing.h): entries somebody waits for (ApplyWaiters) are applied at once;
//    entries nobody waits for (a follower's replicated writes) are gathered into larger
//    transactions, each applied within ApplyPacing::max_delay of being queued.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "node/apply_pacing.h"
#include "node/apply_waiters.h"
#include "raft/types.h"

#include "store/membership.h"

namespace taskraft::store {
class Store;
}

namespace taskraft::node {

class Applier {
 public:
  Applier(std::unique_ptr<store::Store> store, ApplyWaiters& waiters);
  ~Applier();

  void start();
  // Finishes what is queued (unless MySQL is down), then stops the thread.
  void stop();

  void enqueue(std::vector<raft::Entry> entries, std::map<raft::Index, store::Membership> confs);
  // Blocking: loads the snapshot file once every earlier batch is applied.
  store::AppliedState import_snapshot(const std::string& path);

  raft::Index applied() const { return waiters_.applied(); }
  bool store_up() const { return store_up_.load(); }
  std::size_t queued_entries() const { return queued_entries_.load(); }
  // Store transactions that applied entries, and the time they took (for /metrics).
  std::uint64_t batches() const { return batches_.load(); }
  double batch_seconds() const { return batch_seconds_.load(); }

 private:
  struct Batch {
    std::vector<raft::Entry> entries;
    std::map<raft::Index, store::Membership> confs;
  };
  struct Import {
    std::string path;
    std::promise<store::AppliedState> done;
  };
  using Work = std::variant<Batch, Import>;

  void run();
  // With mu_ held: waits until the queue should be applied (see ApplyPacing) or stopping_.
  void wait_for_work(std::unique_lock<std::mutex>& lock);
  void apply_with_retry(Batch& batch);
  static std::vector<AppliedEntry> with_outcomes(const Batch& batch, const std::vector<store::Outcome>& outcomes);
  void import_with_retry(Import& imp);
  // Waits before retrying a failed store call; false when stopping.
  bool backoff(int attempt);

  std::unique_ptr<store::Store> store_;
  ApplyWaiters& waiters_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Work> queue_;
  ApplyPacing pacing_;
  ApplyPacing::Queue queued_;  // what queue_ holds, for pacing
  bool stopping_ = false;
  std::atomic<bool> store_up_{true};
  std::atomic<std::size_t> queued_entries_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<double> batch_seconds_{0};
  std::thread thread_;
};

}  // namespace taskraft::node

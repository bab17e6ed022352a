// The apply thread: hands committed entries to the MySQL store, in log order, and completes the
// requests waiting on them.
//
// Guarantees:
//  - Entries reach the store in the order they were enqueued. Each is decided as soon as the
//    thread takes it (store.h decide(): its outcome computed in the open MySQL transaction), and
//    the write waiting for it is answered then; the transaction, which records the applied index
//    with the changes, is committed when commit pacing says (commit_pacing.h): at once when
//    somebody waits for the commit (a read at an index it holds), else within
//    CommitPacing::max_delay. A crash at any point neither loses nor doubles a change: the store
//    skips what it already holds, and the log holds the rest.
//  - A store failure (MySQL down) never skips an entry: everything decided since the last commit
//    is decided again, with backoff, until MySQL answers; meanwhile store_up() is false and the
//    raft thread keeps replicating.
//  - applied() is the index MySQL has committed; reads wait for it.
//  - import_snapshot() runs after everything enqueued before it is committed, and returns only
//    once the snapshot is loaded and durable in MySQL.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "node/apply_waiters.h"
#include "node/commit_pacing.h"
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
  // Blocking: loads the snapshot file once every earlier batch is committed.
  store::AppliedState import_snapshot(const std::string& path);

  raft::Index applied() const { return waiters_.applied(); }
  bool store_up() const { return store_up_.load(); }
  // Store commits of applied entries, and the time spent deciding and committing (for /metrics).
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
  // With mu_ held: waits until there is work, the open transaction is due, or stopping_.
  void wait_for_work(std::unique_lock<std::mutex>& lock);
  bool commit_due() const;
  // Decides `batch` in the open transaction and answers its writers; false when stopping with
  // MySQL down.
  bool decide(Batch&& batch);
  // Commits the open transaction and advances applied(); false when stopping with MySQL down.
  bool commit();
  // Decides the uncommitted entries from the `from`-th on and answers their writers.
  void decide_from(std::size_t from);
  // Runs `step(again)` until it succeeds; `again` is true after a failure, when the store has
  // rolled back everything uncommitted. False when stopping first.
  bool with_retry(const char* what, const std::function<void(bool again)>& step);
  void import_with_retry(Import& imp);
  // Waits before retrying a failed store call; false when stopping.
  bool backoff(int attempt);

  std::unique_ptr<store::Store> store_;
  ApplyWaiters& waiters_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Work> queue_;
  bool stopping_ = false;
  // The apply thread's own: what is decided and not committed, for pacing and for deciding again.
  Batch uncommitted_;
  CommitPacing pacing_;
  CommitPacing::Open open_;
  std::atomic<bool> store_up_{true};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<double> batch_seconds_{0};
  std::thread thread_;
};

}  // namespace taskraft::node

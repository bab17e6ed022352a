// The apply thread: hands committed entries to the MySQL store, in log order, and completes the
// requests waiting on them.
//
// Guarantees:
//  - Entries reach the store in the order they were enqueued. Each is decided as soon as the
//    thread takes it (store.h decide(): its outcome computed in the open MySQL transaction), and
//    the write waiting for it is answered then; the transaction, which records the applied index
//    with the changes, is committed when commit pacing says (commit_pacing.h): at once when
//    somebody waits for the commit (a read at an index it holds; with an earlier commit still
//    on its way, as soon as MySQL has answered that one), else within CommitPacing::max_delay.
//    The thread does not wait for MySQL's answer to a COMMIT: it goes on deciding (and
//    answering) the entries that arrive meanwhile, in the next transaction, and takes the
//    answer when the connection's socket says it is there; one commit is on its way at a time.
//    A crash at any point neither loses nor doubles a change: the store skips what it already
//    holds, and the log holds the rest.
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
  // With mu_ held: waits until there is work, the open transaction is due, the answer to the
  // commit on its way may have arrived, or stopping_.
  void wait_for_work(std::unique_lock<std::mutex>& lock);
  void wake();
  bool commit_due() const;
  // Decides `batch` in the open transaction and answers its writers; false when stopping with
  // MySQL down.
  bool decide(Batch&& batch);
  // Sends the open transaction's COMMIT without waiting for the answer; false when stopping
  // with MySQL down.
  bool send_commit();
  // Reads the answer to the commit on its way as far as it has arrived (all of it when `wait`),
  // advancing applied() once it is in; false when stopping with MySQL down.
  bool take_answer(bool wait);
  // Commits everything decided and waits for it; false when stopping with MySQL down.
  bool commit_all();
  // After a failure, when the store has rolled back everything uncommitted (the transaction on
  // its way too): decides all of it again and commits it, waiting.
  void redo();
  // MySQL has committed everything up to `applied`.
  void committed(raft::Index applied);
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
  std::condition_variable cv_;  // for backoff(): stop() cuts it short
  // An eventfd: the apply thread sleeps in poll() on it and on MySQL's socket together.
  int wake_fd_;
  // Set while the thread sleeps with an open transaction held back by pacing, which a new
  // waiter may want committed now; otherwise waiters need not wake it.
  std::atomic<bool> holding_{false};
  std::deque<Work> queue_;
  bool stopping_ = false;
  bool sleeping_ = false;  // the thread is in ppoll(): only then does enqueue() signal wake_fd_
  // The apply thread's own: what is decided and not committed (in the transaction on its way and
  // in the open one), for deciding again; and the open one's pacing.
  Batch uncommitted_;
  CommitPacing pacing_;
  CommitPacing::Open open_;
  std::atomic<bool> store_up_{true};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<double> batch_seconds_{0};
  std::thread thread_;
};

}  // namespace taskraft::node

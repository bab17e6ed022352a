// The task state machine on MySQL: what a node applies the committed Raft log to.
//
// Guarantees:
// - Opening creates the database when missing and migrates it (schema.h).
// - decide() applies batches of committed entries to one open transaction and commit() commits
//   it, with applied_index/applied_term: a crash at any point leaves either everything decided
//   since the last commit or none of it. Committing may overlap deciding: send_commit()
//   returns before MySQL answers, and the next transaction is decided meanwhile; its entries
//   become visible and durable only with its own commit, after the first one's.
//   Entries at or below applied_index are skipped, so re-applying after a crash from any earlier
//   index neither loses nor doubles a change. Every node computes the same rows and the same
//   per-entry Outcome from the same log (applier.h).
// - decide() stores the membership resulting from each conf-change entry with applied_index, in
//   the same transaction, so snapshots carry it; record_initial_membership() stores a new
//   cluster's first one.
// - export_snapshot() runs on its own connection while apply goes on; import_snapshot() replaces
//   the whole state atomically (snapshot.h).
// - task_cache() holds the body of recently written or read tasks, published by commit() and forgotten when a snapshot is imported (task_cache.h says why a hit is never
//   older than the store).
//
// Thread-safety: one Store may be used from several threads. The apply side (decide, commit,
// apply, record_initial_membership, import_snapshot, applied) is serialized by one mutex on the apply
// connection; the read queries go through an internal Reader (its own connection and mutex),
// so reads never wait for apply; export_snapshot opens a connection per call and runs in
// parallel with both. For parallel reads create more Readers (reader.h) on dsn().
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "raft/types.h"
#include "store/connection.h"
#include "store/dsn.h"
#include "store/membership.h"
#include "store/meta.h"
#include "store/outcome.h"
#include "store/reader.h"
#include "store/snapshot.h"
#include "store/task_cache.h"

namespace taskraft::store {

inline constexpr std::size_t kDefaultTaskCacheBytes = std::size_t{64} << 20;

class Store {
 public:
  // Throws DbError when MySQL is unreachable or the database has a newer schema.
  explicit Store(const Dsn& dsn, std::size_t task_cache_bytes = kDefaultTaskCacheBytes);

  const Dsn& dsn() const { return dsn_; }

  // Where the state machine is: applied index and term, and the membership recorded with them.
  // Not while a transaction is open (decide() without commit()).
  AppliedState applied();

  // Applies committed entries, in log order, continuing the applied log without gaps (the first
  // entry above applied_index must be applied_index + 1). An empty kNormal entry is the leader's
  // no-op and only advances applied_index. A kConfChange entry records confs.at(its index), the
  // membership the core computed for it (an entry missing from `confs` is a bug). Returns one
  // Outcome per entry (http_status 0 for no-ops, conf changes and skipped entries).
  //
  // decide() applies them in the open transaction (opening one when none is), which may hold
  // earlier decided batches: nothing is visible to other connections, durable, or in the task
  // cache until commit(). Apply is deterministic, so entries decided again after a failure
  // yield the same outcomes. Throws DbError or UnsupportedCommand; then the open transaction
  // is rolled back, with every batch decided since the last commit: the caller decides them
  // again (or the store skips what MySQL holds, if the failed commit did commit).
  std::vector<Outcome> decide(std::span<const raft::Entry> batch, const std::map<raft::Index, Membership>& confs = {});
  // Commits the open transaction, with applied_index/applied_term (nothing when none is open),
  // and publishes its changes to the task cache. Returns the applied index. Throws DbError, with
  // the transaction rolled back as decide() says.
  raft::Index commit();
  // commit() in two halves, so that deciding goes on while MySQL commits: send_commit() sends
  // the open transaction's COMMIT (after reading the answer to an earlier one still awaited)
  // and returns at once; decide() then opens the next transaction on top of it.
  // commit_answer() reads MySQL's answer as far as it has arrived (wait=true: all of it) and,
  // once it is in, publishes the changes and returns the applied index; nullopt while waiting.
  // Any other call on the apply side reads the whole answer first. A failure throws DbError
  // from whichever call read it, with the committing and the open transaction rolled back as
  // decide() says.
  void send_commit();
  bool committing() const { return committing_ != nullptr; }
  std::optional<raft::Index> commit_answer(bool wait);
  // While committing(): what to poll() for before commit_answer() can read further; nullopt
  // when the answer is in already (another call read it), and commit_answer() returns at once.
  std::optional<Connection::SocketWait> commit_socket() const {
    if (!writer_.answer_awaited()) return std::nullopt;
    return writer_.socket_wait();
  }
  // decide() and commit() in one: a batch in one transaction of its own.
  std::vector<Outcome> apply(std::span<const raft::Entry> batch,
                             const std::map<raft::Index, Membership>& confs = {});

  // Records the initial membership of a new cluster, before anything is applied. Returns false
  // (and changes nothing) when the store has applied entries already. Throws DbError.
  bool record_initial_membership(const Membership& membership);

  SnapshotInfo export_snapshot(const std::filesystem::path& path);
  SnapshotInfo import_snapshot(const std::filesystem::path& path);

  TaskCache& task_cache() { return cache_; }

  // Reads (see reader.h); they do not consult the task cache.
  std::optional<Task> get_task(TaskId id) { return reader_.get_task(id); }
  TaskPage list_tasks(const TaskQuery& query) { return reader_.list_tasks(query); }
  std::optional<std::vector<HistoryItem>> task_history(TaskId id) { return reader_.task_history(id); }
  std::optional<User> get_user(std::string_view username) { return reader_.get_user(username); }
  std::vector<User> list_users() { return reader_.list_users(); }

 private:
  // What decide() has applied and commit() has not committed yet.
  struct Open {
    explicit Open(Connection& c) : tx(c) {}
    Transaction tx;
    MetaRow meta;    // as the decided entries leave it
    MetaRow before;  // as the last commit left it
    std::vector<TaskChange> changes;
  };
  // With apply_mu_ held: decide(), commit() and its halves, and forgetting the open and the
  // committing transaction when they fail.
  std::vector<Outcome> decide_locked(std::span<const raft::Entry> batch, const std::map<raft::Index, Membership>& confs);
  raft::Index commit_locked();
  void send_commit_locked();
  std::optional<raft::Index> commit_answer_locked(bool wait);
  void roll_back();

  Dsn dsn_;
  std::mutex apply_mu_;
  Connection writer_;
  std::optional<MetaRow> meta_;  // the meta row as of the last commit (known while no transaction is open)
  std::unique_ptr<Open> open_;
  std::unique_ptr<Open> committing_;  // its COMMIT sent, the answer not read yet
  Reader reader_;
  TaskCache cache_;
};

}  // namespace taskraft::store

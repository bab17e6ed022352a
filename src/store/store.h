// The task state machine on MySQL: what a node applies the committed Raft log to.
//
// Guarantees:
// - Opening creates the database when missing and migrates it (schema.h).
// - apply() applies a batch of committed entries in ONE transaction that also records
//   applied_index/applied_term: a crash at any point leaves either the whole batch or none of it.
//   Entries at or below applied_index are skipped, so re-applying after a crash from any earlier
//   index neither loses nor doubles a change. Every node computes the same rows and the same
//   per-entry Outcome from the same log (applier.h).
// - record_conf_change() stores the membership resulting from a conf-change entry, with
//   applied_index, in one transaction, so snapshots carry it.
// - export_snapshot() runs on its own connection while apply goes on; import_snapshot() replaces
//   the whole state atomically (snapshot.h).
// - task_cache() holds the body of recently written or read tasks, published by apply() after
//   each commit and forgotten when a snapshot is imported (task_cache.h says why a hit is never
//   older than the store).
//
// Thread-safety: one Store may be used from several threads. The apply side (apply,
// record_conf_change, import_snapshot, applied) is serialized by one mutex on the apply
// connection; the read queries go through an internal Reader (its own connection and mutex),
// so reads never wait for apply; export_snapshot opens a connection per call and runs in
// parallel with both. For parallel reads create more Readers (reader.h) on dsn().
#pragma once

#include <filesystem>
#include <functional>
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
  // Parses `dsn` first (see dsn.h); throws Error for a malformed one.
  static std::unique_ptr<Store> open(std::string_view dsn, std::size_t task_cache_bytes = kDefaultTaskCacheBytes);

  const Dsn& dsn() const { return dsn_; }

  // Where the state machine is: applied index and term, and the membership recorded with them.
  AppliedState applied();

  // Applies committed entries, in log order, continuing the applied log without gaps (the first
  // entry above applied_index must be applied_index + 1). An empty kNormal entry is the leader's
  // no-op and only advances applied_index. A kConfChange entry records confs.at(its index), the
  // membership the core computed for it (an entry missing from `confs` is a bug). Returns one
  // Outcome per entry (http_status 0 for no-ops, conf changes and skipped entries). Throws
  // DbError or UnsupportedCommand, with nothing of the batch applied.
  // `decided`, when given, gets the outcomes as soon as they are known, before the transaction's
  // last round trip (the queued inserts, applied_index and COMMIT): apply is deterministic, so a
  // batch that fails after that and is applied again yields the same outcomes.
  using Decided = std::function<void(const std::vector<Outcome>&)>;
  std::vector<Outcome> apply(std::span<const raft::Entry> batch,
                             const std::map<raft::Index, Membership>& confs = {},
                             const Decided& decided = {});

  // Records that the conf-change entry at (index, term) was applied, giving `membership`.
  // Returns false (and changes nothing) when index <= applied_index, except that (0, 0) on a
  // fresh store records the initial membership of a new cluster. Throws DbError.
  bool record_conf_change(raft::Index index, raft::Term term, const Membership& membership);

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
  std::vector<Outcome> apply_locked(std::span<const raft::Entry> batch,
                                    const std::map<raft::Index, Membership>& confs,
                                    const Decided& decided = {});

  Dsn dsn_;
  std::mutex apply_mu_;
  Connection writer_;
  std::optional<MetaRow> meta_;  // the meta row as of the last committed apply batch
  Reader reader_;
  TaskCache cache_;
};

}  // namespace taskraft::store

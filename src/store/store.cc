// The task state machine facade (see store.h).
#include "store/store.h"

#include <cassert>

#include "store/applier.h"
#include "store/error.h"
#include "store/meta.h"
#include "store/schema.h"

namespace taskraft::store {
namespace {

// Runs before the connections are made: they need the database to exist and be migrated.
const Dsn& prepared(const Dsn& dsn) {
  create_database(dsn);
  Connection c(dsn);
  migrate(c);
  return dsn;
}

}  // namespace

Store::Store(const Dsn& dsn, std::size_t task_cache_bytes)
    : dsn_(prepared(dsn)), writer_(dsn_), reader_(dsn_), cache_(task_cache_bytes) {}

std::unique_ptr<Store> Store::open(std::string_view dsn, std::size_t task_cache_bytes) {
  auto parsed = parse_dsn(dsn);
  if (!parsed) throw Error("malformed MySQL DSN (want mysql://user:pass@host:port/dbname): " + std::string(dsn));
  return std::make_unique<Store>(*parsed, task_cache_bytes);
}

AppliedState Store::applied() {
  std::lock_guard lock(apply_mu_);
  Transaction tx(writer_, Transaction::Kind::kConsistentSnapshot);
  MetaRow meta = load_meta(writer_, /*lock=*/false);
  AppliedState state{meta.applied_index, meta.applied_term, load_membership(writer_)};
  tx.commit();
  return state;
}

std::vector<Outcome> Store::apply(std::span<const raft::Entry> batch,
                                  const std::map<raft::Index, Membership>& confs, const Decided& decided) {
  std::lock_guard lock(apply_mu_);
  try {
    return apply_locked(batch, confs, decided);
  } catch (...) {
    // The batch may have committed although its COMMIT reported an error (the connection broke
    // on the way back): its retry would then skip it and never publish its changes. Forgetting
    // every body keeps the cache from answering older than MySQL.
    cache_.reset(cache_.published());
    throw;
  }
}

std::vector<Outcome> Store::apply_locked(std::span<const raft::Entry> batch,
                                         const std::map<raft::Index, Membership>& confs,
                                         const Decided& decided) {
  std::vector<Outcome> outcomes(batch.size());
  Transaction tx(writer_);
  // The meta row as the last committed batch left it (this store is its only writer), else read;
  // forgotten until this batch commits, so a failed batch makes the next one read it again.
  MetaRow meta = meta_ ? *meta_ : load_meta(writer_, /*lock=*/true);
  meta_.reset();
  const MetaRow before = meta;
  std::vector<TaskChange> changes;
  CommandApplier applier(writer_, meta, changes);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const raft::Entry& e = batch[i];
    if (e.index <= meta.applied_index) continue;
    assert(e.index == meta.applied_index + 1 && "apply must continue the applied log without gaps");
    assert(e.term >= meta.applied_term && "terms never decrease along the log");
    if (e.type == raft::EntryType::kConfChange) {
      auto conf = confs.find(e.index);
      assert(conf != confs.end() && "a conf-change entry comes with its resulting membership");
      save_membership(writer_, conf->second);
    } else if (!e.data.empty()) {
      outcomes[i] = applier.apply(e);
    }
    meta.applied_index = e.index;
    meta.applied_term = e.term;
  }
  if (meta != before) {
    if (decided) decided(outcomes);
    save_meta(writer_, meta);
    tx.commit();
    cache_.publish(std::move(changes), meta.applied_index);
  }
  meta_ = meta;
  return outcomes;
}

bool Store::record_conf_change(raft::Index index, raft::Term term, const Membership& membership) {
  std::lock_guard lock(apply_mu_);
  if (index > 0) {
    if (index <= load_meta(writer_, /*lock=*/false).applied_index) return false;
    raft::Entry entry{term, index, raft::EntryType::kConfChange, {}};
    apply_locked(std::span(&entry, 1), {{index, membership}});
    return true;
  }
  Transaction tx(writer_);
  if (load_meta(writer_, /*lock=*/true).applied_index != 0) return false;
  save_membership(writer_, membership);  // the initial membership of a new cluster
  tx.commit();
  return true;
}

SnapshotInfo Store::export_snapshot(const std::filesystem::path& path) {
  return store::export_snapshot(dsn_, path);
}

SnapshotInfo Store::import_snapshot(const std::filesystem::path& path) {
  std::lock_guard lock(apply_mu_);
  meta_.reset();  // the snapshot brings its own
  // Forgetting is always safe (a miss reads MySQL); after a failed import too, whatever state
  // MySQL was left in.
  SnapshotInfo info;
  try {
    info = store::import_snapshot(writer_, path);
  } catch (...) {
    cache_.reset(cache_.published());
    throw;
  }
  cache_.reset(info.applied.index);
  return info;
}

}  // namespace taskraft::store

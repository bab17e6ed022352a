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

AppliedState Store::applied() {
  std::lock_guard lock(apply_mu_);
  assert(!open_ && !committing_ && "applied() reads the committed state, on the apply connection");
  Transaction tx(writer_, Transaction::Kind::kConsistentSnapshot);
  MetaRow meta = load_meta(writer_, /*lock=*/false);
  AppliedState state{meta.applied_index, meta.applied_term, load_membership(writer_)};
  tx.commit();
  return state;
}

std::vector<Outcome> Store::decide(std::span<const raft::Entry> batch, const std::map<raft::Index, Membership>& confs) {
  std::lock_guard lock(apply_mu_);
  return decide_locked(batch, confs);
}

raft::Index Store::commit() {
  std::lock_guard lock(apply_mu_);
  return commit_locked();
}

void Store::send_commit() {
  std::lock_guard lock(apply_mu_);
  send_commit_locked();
}

std::optional<raft::Index> Store::commit_answer(bool wait) {
  std::lock_guard lock(apply_mu_);
  assert(committing_ && "no commit was sent");
  return commit_answer_locked(wait);
}

std::vector<Outcome> Store::apply(std::span<const raft::Entry> batch, const std::map<raft::Index, Membership>& confs) {
  std::lock_guard lock(apply_mu_);
  auto outcomes = decide_locked(batch, confs);
  commit_locked();
  return outcomes;
}

void Store::roll_back() {
  open_.reset();  // the transactions' destructors roll them back
  committing_.reset();
  meta_.reset();
  // The transaction may have committed although its COMMIT reported an error (the connection
  // broke on the way back): deciding it again would then skip it and never publish its changes.
  // Forgetting every body keeps the cache from answering older than MySQL.
  cache_.reset(cache_.published());
}

std::vector<Outcome> Store::decide_locked(std::span<const raft::Entry> batch,
                                          const std::map<raft::Index, Membership>& confs) {
  try {
    if (!open_) {
      open_ = std::make_unique<Open>(writer_);
      // The meta row as the committing transaction or the last commit left it (this store is
      // its only writer), else read.
      open_->meta = open_->before = committing_ ? committing_->meta
                                    : meta_     ? *meta_
                                                : load_meta(writer_, /*lock=*/true);
      meta_.reset();
    }
    std::vector<Outcome> outcomes(batch.size());
    MetaRow& meta = open_->meta;
    CommandApplier applier(writer_, meta, open_->changes);
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
    return outcomes;
  } catch (...) {
    roll_back();
    throw;
  }
}

raft::Index Store::commit_locked() {
  send_commit_locked();
  commit_answer_locked(/*wait=*/true);
  return meta_ ? meta_->applied_index : load_meta(writer_, /*lock=*/false).applied_index;
}

void Store::send_commit_locked() {
  if (committing_) commit_answer_locked(/*wait=*/true);  // one commit on the way at a time
  if (!open_) return;
  try {
    const MetaRow meta = open_->meta;
    if (meta == open_->before) {  // nothing decided changed anything
      open_.reset();
      meta_ = meta;
      return;
    }
    save_meta(writer_, meta);
    open_->tx.send_commit();
    committing_ = std::move(open_);
  } catch (...) {
    roll_back();
    throw;
  }
}

std::optional<raft::Index> Store::commit_answer_locked(bool wait) {
  if (!committing_) return std::nullopt;
  try {
    if (wait) {
      writer_.settle();
    } else if (!writer_.poll_answer()) {
      return std::nullopt;
    }
  } catch (...) {
    roll_back();
    throw;
  }
  committing_->tx.committed();
  const MetaRow meta = committing_->meta;
  cache_.publish(std::move(committing_->changes), meta.applied_index);
  committing_.reset();
  if (!open_) meta_ = meta;
  return meta.applied_index;
}

bool Store::record_initial_membership(const Membership& membership) {
  std::lock_guard lock(apply_mu_);
  assert(!open_ && !committing_ && "the initial membership is recorded before anything is applied");
  Transaction tx(writer_);
  if (load_meta(writer_, /*lock=*/true).applied_index != 0) return false;
  save_membership(writer_, membership);
  tx.commit();
  return true;
}

SnapshotInfo Store::export_snapshot(const std::filesystem::path& path) {
  return store::export_snapshot(dsn_, path);
}

SnapshotInfo Store::import_snapshot(const std::filesystem::path& path) {
  std::lock_guard lock(apply_mu_);
  assert(!committing_ && "the apply side reads the answer to a commit before importing");
  open_.reset();  // what was decided and not committed: the snapshot replaces it
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

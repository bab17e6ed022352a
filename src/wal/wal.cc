// Implements wal.h: buffering one batch, writing it with one write and one fdatasync, starting
// segments from prepared spares, and compaction. Recovery is in recovery.cc.
#include "wal/wal.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <utility>

#include "wal/segment.h"
#include "wal/wal_error.h"
#include "wire/raft_codec.h"

namespace taskraft::wal {
namespace {

namespace fs = std::filesystem;

std::invalid_argument bad_call(const std::string& what) { return std::invalid_argument("wal: " + what); }

}  // namespace

WalOpened Wal::open(const fs::path& dir, const WalOptions& options) {
  ensure_dir(dir);
  File lock = File::open_or_create(dir / "LOCK");
  if (!lock.try_lock()) {
    throw WalError(lock.path(), std::nullopt, "held by another process, which has this WAL open");
  }
  Recovery rec = recover(dir);
  Wal wal(dir, options, std::move(lock), rec);
  return WalOpened{std::move(wal), std::move(rec.state), std::move(rec.notes)};
}

Wal::Wal(fs::path dir, const WalOptions& options, File lock, Recovery& rec)
    : dir_(std::move(dir)),
      options_(options),
      lock_(std::move(lock)),
      segments_(std::move(rec.segments)),
      hard_(rec.state.hard),
      durable_hard_(rec.state.hard),
      durable_snapshot_(rec.state.snapshot),
      next_batch_(rec.next_batch) {
  shape_.mark_snapshot(rec.state.snapshot);
  for (const auto& e : rec.state.entries) shape_.append(IndexTerm{e.index, e.term});
  if (segments_.empty()) {
    start_segment(shape_.last_index() + 1);
  } else {
    active_ = File::open_existing(segments_.back().path);
    active_size_ = rec.last_size;
    prepare_spare_when_due();
  }
}

Wal::~Wal() { spare_.reset(); }

void Wal::check_usable() const {
  if (failed_) {
    throw WalError(dir_, std::nullopt, "an earlier write or sync failed; reopen the log to continue");
  }
}

void Wal::append(const std::vector<raft::Entry>& entries) {
  check_usable();
  if (entries.empty()) return;
  raft::Index first = entries.front().index;
  if (first <= shape_.snapshot().index || first > shape_.last_index() + 1) {
    throw bad_call("append at index " + std::to_string(first) + ": must lie after the snapshot point " +
                   std::to_string(shape_.snapshot().index) + " and at most one past the last index " +
                   std::to_string(shape_.last_index()));
  }
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].index != entries[i - 1].index + 1) {
      throw bad_call("append: entries not contiguous: index " + std::to_string(entries[i].index) +
                     " follows " + std::to_string(entries[i - 1].index));
    }
  }
  for (const auto& e : entries) {
    pending_.push_back({RecordKind::kEntry, wire::encode_entry(e)});
    shape_.append(IndexTerm{e.index, e.term});
  }
  pending_min_index_ = std::min(pending_min_index_.value_or(first), first);
  pending_max_index_ = std::max(pending_max_index_.value_or(0), entries.back().index);
}

void Wal::save_hard_state(const raft::HardState& hs) {
  check_usable();
  pending_.push_back({RecordKind::kHardState, wire::encode_hard_state(hs)});
  hard_ = hs;
}

void Wal::save_snapshot(const raft::SnapshotMeta& meta) {
  check_usable();
  if (meta.index < shape_.snapshot().index) {
    throw bad_call("snapshot point " + std::to_string(meta.index) + " is older than the saved one, " +
                   std::to_string(shape_.snapshot().index));
  }
  pending_.push_back({RecordKind::kSnapshotMark, wire::encode_snapshot_meta(meta)});
  shape_.mark_snapshot(meta);
}

void Wal::encode_batch(const std::vector<Pending>& records) {
  assert(!records.empty());
  for (std::size_t i = 0; i < records.size(); ++i) {
    append_record(buffer_, Record{records[i].kind, next_batch_, i + 1 == records.size(), records[i].payload});
  }
  ++next_batch_;
}

void Wal::start_segment(raft::Index first_index) {
  std::uint64_t seq = segments_.empty() ? 1 : segments_.back().seq + 1;
  fs::path path = dir_ / segment_name(seq, first_index);
  if (!spare_) spare_.emplace(dir_ / spare_segment_name(seq), options_.segment_bytes);
  File f = std::exchange(spare_, std::nullopt)->take();
  // The header and a copy of the durable hard state and snapshot mark, as the segment's first
  // batch: whatever older segments compaction removes, the newest segment holds both.
  buffer_ = encode_segment_header(SegmentHeader{seq, first_index, next_batch_});
  encode_batch({{RecordKind::kHardState, wire::encode_hard_state(durable_hard_)},
                {RecordKind::kSnapshotMark, wire::encode_snapshot_meta(durable_snapshot_)}});
  f.write_at(0, buffer_);
  f.datasync();
  f.rename_to(path);
  sync_dir(dir_);
  active_ = std::move(f);
  active_size_ = buffer_.size();
  segments_.push_back(SegmentFile{path, seq, std::nullopt});
}

void Wal::prepare_spare_when_due() {
  if (spare_ || active_size_ < options_.segment_bytes / 2) return;
  spare_.emplace(dir_ / spare_segment_name(segments_.back().seq + 1), options_.segment_bytes);
}

void Wal::sync() {
  check_usable();
  if (pending_.empty()) return;
  try {
    if (active_size_ >= options_.segment_bytes) {
      start_segment(pending_min_index_.value_or(shape_.last_index() + 1));
    }
    buffer_.clear();
    encode_batch(pending_);
    active_->write_at(active_size_, buffer_);
    active_->datasync();
  } catch (...) {
    failed_ = true;
    throw;
  }
  active_size_ += buffer_.size();
  prepare_spare_when_due();
  if (pending_max_index_) {
    segments_.back().max_index = std::max(segments_.back().max_index.value_or(0), *pending_max_index_);
  }
  durable_hard_ = hard_;
  durable_snapshot_ = shape_.snapshot();
  pending_.clear();
  pending_min_index_.reset();
  pending_max_index_.reset();
}

std::size_t Wal::compact(raft::Index index) {
  check_usable();
  raft::Index limit = std::min(index, durable_snapshot_.index);
  std::size_t removed = 0;
  try {
    // Oldest first, one durable removal at a time, so the segments left always form an unbroken
    // sequence whatever moment a crash strikes.
    while (segments_.size() > 1 && segments_.front().max_index.value_or(0) <= limit) {
      remove_file(segments_.front().path);
      sync_dir(dir_);
      segments_.erase(segments_.begin());
      ++removed;
    }
  } catch (...) {
    failed_ = true;
    throw;
  }
  return removed;
}

}  // namespace taskraft::wal

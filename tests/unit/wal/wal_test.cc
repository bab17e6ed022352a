// The Wal as the node uses it: what sync made durable comes back on open, with overwrites,
// hard state and snapshot points applied; segments roll and compact; misuse is refused.
#include "wal/wal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "wal/segment.h"
#include "wal/wal_error.h"
#include "wal_test_util.h"

namespace taskraft::wal {
namespace {

namespace fs = std::filesystem;
using test::make_entries;
using test::make_entry;
using test::ModelLog;
using test::TempDir;

// Appends entries first..last of `term`, `per_batch` to a sync.
void append_batches(Wal& wal, raft::Index first, raft::Index last, raft::Index per_batch,
                    raft::Term term, std::size_t size) {
  for (raft::Index i = first; i <= last; i += per_batch) {
    wal.append(make_entries(i, std::min(last, i + per_batch - 1), term, size));
    wal.sync();
  }
}

// One segment for the tests that do not roll segments, smaller than the default segment size
// (8 MiB of zeros at every open); FirstOpenCreatesTheDirectoryAndAnEmptyLog checks
// the default.
const WalOptions kOneSegment{1 << 20};

raft::InitialState reopen(const fs::path& dir, const WalOptions& options = kOneSegment) {
  return Wal::open(dir, options).state;
}

TEST(Wal, FirstOpenCreatesTheDirectoryAndAnEmptyLog) {
  TempDir tmp;
  fs::path dir = tmp / "a" / "wal";
  auto opened = Wal::open(dir);
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_TRUE(opened.state.entries.empty());
  EXPECT_EQ(opened.state.hard, raft::HardState{});
  EXPECT_EQ(opened.state.snapshot, raft::SnapshotMeta{});
  EXPECT_TRUE(opened.notes.empty());
  EXPECT_EQ(opened.wal.last_index(), 0u);
  auto files = test::segment_files(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(fs::file_size(files[0]), WalOptions{}.segment_bytes) << "preallocated to the default size";
}

TEST(Wal, SyncedEntriesHardStateAndSnapshotComeBack) {
  TempDir tmp;
  ModelLog model;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
    auto entries = make_entries(1, 10, 1);
    entries[4].type = raft::EntryType::kConfChange;
    entries[5].data.clear();  // a leader's no-op
    wal.append(entries);
    wal.save_hard_state({1, 2, 7});
    wal.save_snapshot({4, 1, {{1, 2, 3}, {4}}});
    wal.sync();
    model.append(entries);
    model.state.hard = {1, 2, 7};
    model.mark_snapshot({4, 1, {{1, 2, 3}, {4}}});
  }
  test::expect_state_eq(reopen(tmp.path()), model.state);
}

TEST(Wal, NothingBeforeSyncCounts) {
  TempDir tmp;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
    wal.append(make_entries(1, 3, 1));
    wal.sync();
    wal.append(make_entries(4, 6, 1));
    wal.save_hard_state({1, 1, 3});
  }
  auto state = reopen(tmp.path());
  EXPECT_EQ(state.entries, make_entries(1, 3, 1));
  EXPECT_EQ(state.hard, raft::HardState{});
}

TEST(Wal, LaterEntryAtAnExistingIndexReplacesTheSuffix) {
  TempDir tmp;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
    wal.append(make_entries(1, 10, 1));
    wal.sync();
    wal.append(make_entries(6, 7, 2));  // a new leader overwrites 6.. and drops 8..10
    wal.sync();
    EXPECT_EQ(wal.last_index(), 7u);
  }
  auto want = make_entries(1, 5, 1);
  for (auto& e : make_entries(6, 7, 2)) want.push_back(e);
  EXPECT_EQ(reopen(tmp.path()).entries, want);
}

TEST(Wal, OverwriteWithinOneBatchAndAcrossRestarts) {
  TempDir tmp;
  ModelLog model;
  for (raft::Term term = 1; term <= 4; ++term) {
    auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
    test::expect_state_eq(state, model.state);
    raft::Index from = term == 1 ? 1 : wal.last_index() - 2;  // overwrite the last three
    auto batch = make_entries(from, from + 5, term);
    wal.append(batch);
    auto again = make_entries(from + 1, from + 2, term + 10);  // replaced again before the sync
    wal.append(again);
    wal.sync();
    model.append(batch);
    model.append(again);
  }
  test::expect_state_eq(reopen(tmp.path()), model.state);
}

TEST(Wal, RestartThenContinueAppending) {
  TempDir tmp;
  for (raft::Index round = 0; round < 5; ++round) {
    auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
    ASSERT_EQ(state.entries.size(), round * 10);
    EXPECT_EQ(wal.last_index(), round * 10);
    wal.append(make_entries(round * 10 + 1, round * 10 + 10, 1));
    wal.save_hard_state({1, 1, round * 10});
    wal.sync();
  }
  auto state = reopen(tmp.path());
  EXPECT_EQ(state.entries, make_entries(1, 50, 1));
  EXPECT_EQ(state.hard, (raft::HardState{1, 1, 40}));
}

TEST(Wal, SegmentsRollAtTheSizeLimitAndReadBackInOrder) {
  TempDir tmp;
  WalOptions small{4096};
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), small);
    for (raft::Index i = 1; i <= 300; i += 10) {
      wal.append(make_entries(i, i + 9, 1, 100));
      wal.save_hard_state({1, 1, i});
      wal.sync();
    }
    EXPECT_GT(wal.segment_count(), 5u);
    EXPECT_EQ(wal.segment_count(), test::segment_files(tmp.path()).size());
  }
  auto files = test::segment_files(tmp.path());
  for (const auto& f : files) EXPECT_LT(fs::file_size(f), 4096u + 10 * 200) << f;
  auto second = parse_segment_name(files[1].filename().string());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->seq, 2u);
  EXPECT_GT(second->first_index, 1u);  // named for the first entry it was opened for

  auto state = reopen(tmp.path(), small);
  EXPECT_EQ(state.entries, make_entries(1, 300, 1, 100));
  EXPECT_EQ(state.hard, (raft::HardState{1, 1, 291}));
}

TEST(Wal, SnapshotThenCompactionDropsWholeOldSegmentsOnly) {
  TempDir tmp;
  WalOptions small{2048};
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), small);
    append_batches(wal, 1, 200, 5, 1, 100);
    wal.save_hard_state({1, 3, 200});
    wal.sync();
    std::size_t before = wal.segment_count();
    // Without a durable snapshot point nothing may go.
    EXPECT_EQ(wal.compact(150), 0u);
    wal.save_snapshot({150, 1, {{1, 2, 3}, {}}});
    EXPECT_EQ(wal.compact(150), 0u) << "the snapshot mark is not durable yet";
    wal.sync();
    std::size_t removed = wal.compact(150);
    EXPECT_GT(removed, 0u);
    EXPECT_EQ(wal.segment_count(), before - removed);
    EXPECT_EQ(test::segment_files(tmp.path()).size(), wal.segment_count());
    // Appending goes on after compaction.
    wal.append(make_entries(201, 210, 2, 100));
    wal.sync();
  }
  auto state = reopen(tmp.path(), small);
  EXPECT_EQ(state.snapshot, (raft::SnapshotMeta{150, 1, {{1, 2, 3}, {}}}));
  EXPECT_EQ(state.hard, (raft::HardState{1, 3, 200}));
  auto want = make_entries(151, 200, 1, 100);
  for (auto& e : make_entries(201, 210, 2, 100)) want.push_back(e);
  EXPECT_EQ(state.entries, want);
}

TEST(Wal, CompactionNeverDropsEntriesAboveTheSnapshotPoint) {
  TempDir tmp;
  WalOptions small{1024};
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), small);
    append_batches(wal, 1, 100, 5, 1, 100);
    wal.save_snapshot({20, 1, {}});
    wal.sync();
    std::size_t before = wal.segment_count();
    std::size_t removed = wal.compact(1000);  // asks for more than the snapshot covers
    EXPECT_GT(removed, 0u);
    EXPECT_LT(removed + 3, before);
  }
  EXPECT_EQ(reopen(tmp.path(), small).entries, make_entries(21, 100, 1, 100));
}

TEST(Wal, CompactionKeepsTheLatestHardStateAndSnapshotWhenTheyWereWrittenLongAgo) {
  TempDir tmp;
  WalOptions small{1024};
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), small);
    wal.save_hard_state({7, 2, 0});
    wal.append(make_entries(1, 5, 7, 100));
    wal.sync();
    wal.save_snapshot({5, 7, {{1, 2}, {}}});
    wal.sync();
    // Many segments of nothing but entries above the snapshot, then compact everything old.
    append_batches(wal, 6, 60, 5, 7, 100);
    wal.save_snapshot({60, 7, {{1, 2}, {}}});
    wal.sync();
    EXPECT_GT(wal.compact(60), 0u);
    EXPECT_EQ(wal.segment_count(), 1u);
  }
  auto state = reopen(tmp.path(), small);
  EXPECT_EQ(state.hard, (raft::HardState{7, 2, 0}));
  EXPECT_EQ(state.snapshot, (raft::SnapshotMeta{60, 7, {{1, 2}, {}}}));
  EXPECT_TRUE(state.entries.empty());
}

TEST(Wal, InstalledSnapshotBeyondTheLogReplacesItAndAppendingContinuesAfterIt) {
  TempDir tmp;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
    wal.append(make_entries(1, 5, 1));
    wal.sync();
    wal.save_snapshot({100, 3, {{1, 2, 3}, {}}});
    wal.append(make_entries(101, 102, 3));
    wal.sync();
    EXPECT_EQ(wal.last_index(), 102u);
  }
  auto state = reopen(tmp.path());
  EXPECT_EQ(state.snapshot.index, 100u);
  EXPECT_EQ(state.entries, make_entries(101, 102, 3));
}

TEST(Wal, SnapshotOfAnotherTermDropsTheConflictingSuffix) {
  TempDir tmp;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
    wal.append(make_entries(1, 10, 1));
    wal.sync();
    wal.save_snapshot({5, 2, {}});  // the leader's history differs at 5
    wal.sync();
    EXPECT_EQ(wal.last_index(), 5u);
    EXPECT_THROW(wal.append(make_entries(8, 8, 2)), std::invalid_argument);
  }
  auto state = reopen(tmp.path());
  EXPECT_EQ(state.snapshot, (raft::SnapshotMeta{5, 2, {}}));
  EXPECT_TRUE(state.entries.empty());
}

TEST(Wal, MisuseIsRefusedWithoutChangingTheLog) {
  TempDir tmp;
  auto [wal, state, notes] = Wal::open(tmp.path(), kOneSegment);
  wal.append(make_entries(1, 5, 1));
  wal.save_snapshot({2, 1, {}});
  EXPECT_THROW(wal.append(make_entries(7, 8, 1)), std::invalid_argument) << "gap after 5";
  EXPECT_THROW(wal.append(make_entries(2, 3, 1)), std::invalid_argument) << "at the snapshot point";
  EXPECT_THROW(wal.append({make_entry(3, 1), make_entry(5, 1)}), std::invalid_argument);
  EXPECT_THROW(wal.save_snapshot({1, 1, {}}), std::invalid_argument);
  EXPECT_EQ(wal.last_index(), 5u);
  wal.sync();
}

TEST(Wal, SecondOpenOfTheSameDirectoryIsRefused) {
  TempDir tmp;
  auto first = Wal::open(tmp.path(), kOneSegment);
  test::expect_open_error(tmp.path(), tmp / "LOCK", "held by another process");
}

TEST(Wal, LeftoverTemporarySegmentIsRemovedAndReported) {
  TempDir tmp;
  { Wal::open(tmp.path(), kOneSegment).wal.sync(); }
  test::write_bytes(tmp / (segment_name(2, 1) + ".tmp"), "half a header");
  auto opened = Wal::open(tmp.path(), kOneSegment);
  ASSERT_EQ(opened.notes.size(), 1u);
  EXPECT_NE(opened.notes[0].find("interrupted segment creation"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp / (segment_name(2, 1) + ".tmp")));
}

TEST(Wal, MissingMiddleSegmentIsAnErrorNamingTheFile) {
  TempDir tmp;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), WalOptions{1024});
    append_batches(wal, 1, 60, 5, 1, 100);
  }
  auto files = test::segment_files(tmp.path());
  ASSERT_GE(files.size(), 3u);
  fs::remove(files[1]);
  test::expect_open_error(tmp.path(), files[2], "segments in between are missing");
}

TEST(Wal, SegmentThatLostWholeBatchesAtItsEndIsAnError) {
  TempDir tmp;
  std::uint64_t cut = 0;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), WalOptions{1024});
    wal.append(make_entries(1, 1, 1, 100));
    wal.sync();
    cut = test::data_end(test::segment_files(tmp.path())[0]);
    append_batches(wal, 2, 20, 1, 1, 100);
  }
  auto files = test::segment_files(tmp.path());
  ASSERT_GE(files.size(), 2u);
  std::string original = test::read_bytes(files[0]);
  ASSERT_GT(test::data_end(files[0]), cut);
  // A clean cut at a batch boundary of a non-last segment, and its preallocated form: zeros
  // from that boundary on, which look like the segment's unused rest.
  fs::resize_file(files[0], cut);
  test::expect_open_error(tmp.path(), files[1], "data is missing");
  test::write_bytes(files[0], original);
  test::zero_bytes(files[0], cut, original.size() - cut);
  test::expect_open_error(tmp.path(), files[1], "data is missing");
}

}  // namespace
}  // namespace taskraft::wal

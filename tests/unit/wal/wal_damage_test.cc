// Recovery from damage: a log is written batch by batch (into preallocated segments), then copies
// of it are cut short, zeroed from some offset on, or have a bit flipped at every byte offset, and
// recovered. Recovery must return exactly the state after some complete batch -- all batches
// synced before the damaged last one -- or, when the damage is not in the last batch (or in the
// zeros after it), fail with a WalError naming the file; never a damaged entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "wal/wal.h"
#include "wal/wal_error.h"
#include "wal_test_util.h"

namespace taskraft::wal {
namespace {

namespace fs = std::filesystem;
using test::make_entries;
using test::TempDir;

const WalOptions kSmallSegments{1024};

// Where one synced batch ended.
struct BatchEnd {
  fs::path file;
  std::uint64_t end = 0;
};

// A log written batch by batch with a varied mix of records, and what recovery must return
// after each batch.
struct History {
  TempDir tmp{test::memory_temp_base()};
  std::vector<raft::InitialState> states{raft::InitialState{}};  // states[k]: after k batches
  std::vector<BatchEnd> ends{BatchEnd{}};                         // ends[k]: where batch k ended

  History() {
    std::mt19937 rng(12345);
    test::ModelLog model;
    auto [wal, state, notes] = Wal::open(tmp.path(), kSmallSegments);
    raft::Term term = 1;
    for (int k = 1; k <= 24; ++k) {
      raft::Index last = wal.last_index();
      raft::Index from = (k % 7 == 0 && last > model.state.snapshot.index + 2) ? last - 1 : last + 1;
      if (from <= last) ++term;  // a new leader overwrites the tail
      auto entries = make_entries(from, from + rng() % 4, term, 10 + rng() % 70);
      wal.append(entries);
      model.append(entries);
      if (k % 3 == 0) {
        raft::HardState hs{term, 1 + rng() % 3, from};
        wal.save_hard_state(hs);
        model.state.hard = hs;
      }
      if (k == 12) {
        const raft::Entry& at = model.state.entries[model.state.entries.size() / 2];
        raft::SnapshotMeta m{at.index, at.term, {{1, 2, 3}, {}}};
        wal.save_snapshot(m);
        model.mark_snapshot(m);
      }
      wal.sync();
      states.push_back(model.state);
      fs::path file = test::segment_files(tmp.path()).back();
      ends.push_back(BatchEnd{file, test::data_end(file)});
    }
  }

  std::size_t batches() const { return ends.size() - 1; }
  fs::path last_file() const { return ends.back().file; }
  // Index of the last batch that ends in `file` at or before `offset`, or nullopt if none.
  std::optional<std::size_t> last_complete(const fs::path& file, std::uint64_t offset) const {
    std::optional<std::size_t> found;
    for (std::size_t k = 1; k < ends.size(); ++k) {
      if (ends[k].file == file && ends[k].end <= offset) found = k;
    }
    return found;
  }
};

// A copy of the history's segments for damage experiments; restore() undoes the damage (and
// recovery's repairs) so one copy serves many experiments.
struct Copy {
  TempDir tmp{test::memory_temp_base()};
  std::vector<std::pair<fs::path, std::string>> originals;

  explicit Copy(const History& h) {
    for (const auto& f : test::segment_files(h.tmp.path())) {
      originals.emplace_back(file(f), test::read_bytes(f));
      test::write_bytes(originals.back().first, originals.back().second);
    }
  }
  fs::path file(const fs::path& original) const { return tmp / original.filename().string(); }
  // Returns `original`'s copy, with its original bytes.
  std::string bytes(const fs::path& original) const {
    for (const auto& [path, content] : originals) {
      if (path == file(original)) return content;
    }
    throw std::logic_error("no copy of " + original.string());
  }
  void restore() {
    for (const auto& f : test::segment_files(tmp.path())) {  // e.g. one started by an append
      if (std::none_of(originals.begin(), originals.end(), [&](const auto& o) { return o.first == f; })) {
        fs::remove(f);
      }
    }
    for (const auto& [path, content] : originals) {
      if (test::read_bytes(path) != content) test::write_bytes(path, content);
    }
  }
};

TEST(WalDamage, HistoryUnderTestSpansSeveralSegments) {
  History h;
  EXPECT_GE(test::segment_files(h.tmp.path()).size(), 3u);
  // The last segment holds several batches, so cuts inside it have batches to fall back on.
  std::size_t in_last = 0;
  for (const auto& e : h.ends) in_last += e.file == h.last_file() ? 1 : 0;
  EXPECT_GE(in_last, 3u);
}

// Every byte of `p` from `from` on is zero.
::testing::AssertionResult zeros_from(const fs::path& p, std::uint64_t from) {
  std::string bytes = test::read_bytes(p);
  for (std::uint64_t i = from; i < bytes.size(); ++i) {
    if (bytes[i] != '\0') return ::testing::AssertionFailure() << "non-zero byte at offset " << i;
  }
  return ::testing::AssertionSuccess();
}

TEST(WalDamage, CutAtEveryOffsetOfTheLastBatchesRecoversTheSyncedPrefix) {
  History h;
  fs::path last = h.last_file();
  std::size_t first_in_last = h.batches();
  while (h.ends[first_in_last - 1].file == last) --first_in_last;
  // From the end of the segment's first data batch (its copied header batch is never torn) on.
  // Both forms of a write that stopped at `cut`: the file cut there (a segment that grows as it is
  // written: version 1, or past its preallocated size) and zeros from there on (preallocated).
  Copy c(h);
  for (bool preallocated : {false, true}) {
    for (std::uint64_t cut = h.ends[first_in_last].end; cut <= h.ends.back().end; ++cut) {
      SCOPED_TRACE("cut at " + std::to_string(cut) + (preallocated ? ", zeros after it" : ""));
      c.restore();
      std::uint64_t size = fs::file_size(c.file(last));
      if (preallocated) {
        test::zero_bytes(c.file(last), cut, size - cut);
      } else {
        fs::resize_file(c.file(last), cut);
        size = cut;
      }
      std::size_t k = *h.last_complete(last, cut);
      auto opened = Wal::open(c.tmp.path(), kSmallSegments);
      test::expect_state_eq(opened.state, h.states[k]);
      EXPECT_EQ(opened.notes.size(), cut == h.ends[k].end ? 0u : 1u);
      EXPECT_EQ(fs::file_size(c.file(last)), size) << "the file keeps its size";
      EXPECT_TRUE(zeros_from(c.file(last), h.ends[k].end)) << "torn bytes are overwritten with zeros";
      if (cut >= h.ends[h.batches() - 1].end) {  // inside the unsynced last batch: all else is there
        EXPECT_EQ(k, h.batches() - (cut == h.ends.back().end ? 0 : 1));
      }

      // Appending continues where the recovered log ends.
      raft::Index next = opened.wal.last_index() + 1;
      opened.wal.append(make_entries(next, next, 99));
      opened.wal.sync();
      Wal closing = std::move(opened.wal);  // releases the lock at the end of this iteration
      (void)closing;
    }
  }
}

TEST(WalDamage, ZeroedPagesInsideTheLastBatchAreATornWrite) {
  // After a power loss the file may have its new size with some of the last write's pages never
  // written: zeros, possibly before intact records of the same batch.
  History h;
  fs::path last = h.last_file();
  std::uint64_t start = h.ends[h.batches() - 1].end;
  std::uint64_t end = h.ends.back().end;
  ASSERT_EQ(h.ends[h.batches() - 1].file, last);
  Copy c(h);
  for (std::uint64_t hole = start; hole < end; hole += 7) {
    c.restore();
    std::string bytes = c.bytes(last);
    for (std::uint64_t i = hole; i < std::min(end - 1, hole + 16); ++i) bytes[i] = '\0';
    test::write_bytes(c.file(last), bytes);
    auto opened = Wal::open(c.tmp.path(), kSmallSegments);
    test::expect_state_eq(opened.state, h.states[h.batches() - 1]);
  }
}

TEST(WalDamage, BitFlipAtEveryOffsetIsATornTailInTheLastBatchAndAnErrorElsewhere) {
  History h;
  std::uint64_t last_batch_start = h.ends[h.batches() - 1].end;
  ASSERT_EQ(h.ends[h.batches() - 1].file, h.last_file());
  Copy c(h);
  for (const fs::path& original : test::segment_files(h.tmp.path())) {
    std::uint64_t size = fs::file_size(original);
    for (std::uint64_t at = 0; at < size; ++at) {
      SCOPED_TRACE(original.filename().string() + " offset " + std::to_string(at));
      c.restore();
      fs::path file = c.file(original);
      std::string bytes = c.bytes(original);
      bytes[at] = static_cast<char>(bytes[at] ^ (1 << (at % 8)));
      test::write_bytes(file, bytes);
      bool in_last_segment = original == h.last_file();
      // Past the last batch: in the zeros of a preallocated segment, where a torn write could
      // have put bytes too.
      bool after_last_batch = in_last_segment && at >= h.ends.back().end;
      bool in_last_batch = in_last_segment && at >= last_batch_start;
      try {
        auto opened = Wal::open(c.tmp.path(), kSmallSegments);
        EXPECT_TRUE(in_last_batch) << "damage before the last batch went unnoticed";
        test::expect_state_eq(opened.state, h.states[h.batches() - (after_last_batch ? 0 : 1)]);
        EXPECT_EQ(opened.notes.size(), 1u);
      } catch (const WalError& e) {
        EXPECT_FALSE(in_last_batch) << e.what();
        EXPECT_EQ(e.path(), file) << e.what();
        ASSERT_TRUE(e.offset()) << e.what();
        EXPECT_LE(*e.offset(), at) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace taskraft::wal

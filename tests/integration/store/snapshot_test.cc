// Snapshots: exported while apply goes on, they hold exactly the state of their applied index
// (membership included); imported into another database they reproduce it and apply continues
// from there; a damaged file is refused and leaves the database untouched.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "mysql_fixture.h"
#include "store/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

namespace fs = std::filesystem;

class Snapshot : public ::testing::Test {
 protected:
  Snapshot() : dir_(fs::temp_directory_path() / ("taskraft-snap-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
  }
  ~Snapshot() override { fs::remove_all(dir_); }

  static void apply_all(Store& s, const Log& log, raft::Index from, raft::Index to, std::size_t batch = 10) {
    for (raft::Index i = from; i <= to; i += batch) s.apply(log.range(i, std::min<raft::Index>(to, i + batch - 1)), log.confs());
  }

  fs::path dir_;
};

TEST_F(Snapshot, ExportedWhileApplyGoesOnItHoldsExactlyTheStateOfItsIndex) {
  const raft::Index n = 400;
  Log log = mixed_log(n, 21);
  Dsn source = fresh_database("src");
  Store store(source);
  store.record_initial_membership(Membership{{{1, 2, 3}, {}}, "initial members"});
  apply_all(store, log, 1, 100);

  std::atomic<bool> done = false;
  std::thread applier([&] {
    apply_all(store, log, 101, n, 3);
    done = true;
  });
  SnapshotInfo info = store.export_snapshot(dir_ / "snap");
  applier.join();
  ASSERT_TRUE(done);
  EXPECT_GE(info.applied.index, 100u);
  EXPECT_LE(info.applied.index, n);
  EXPECT_EQ(info.row_format, kRowFormatVersion);
  EXPECT_GT(info.rows, 100u);
  EXPECT_EQ(info.bytes, fs::file_size(dir_ / "snap"));
  EXPECT_FALSE(fs::exists(dir_ / "snap.tmp"));

  // The same log applied to exactly that index elsewhere gives exactly the snapshot's rows.
  Dsn reference = fresh_database("ref");
  {
    Store ref(reference);
    ref.record_initial_membership(Membership{{{1, 2, 3}, {}}, "initial members"});
    apply_all(ref, log, 1, info.applied.index, 50);
    EXPECT_EQ(ref.applied(), info.applied);
  }
  Dsn restored = fresh_database("dst");
  Store target(restored);
  SnapshotInfo loaded = target.import_snapshot(dir_ / "snap");
  EXPECT_EQ(loaded.applied, info.applied);
  EXPECT_EQ(loaded.checksum, info.checksum);
  EXPECT_EQ(loaded.rows, info.rows);
  EXPECT_EQ(target.applied(), info.applied);
  EXPECT_EQ(state_checksum(restored), state_checksum(reference));
  EXPECT_EQ(dump_state(restored), dump_state(reference));

  // Apply goes on from the snapshot to the same final state as the source.
  apply_all(target, log, info.applied.index + 1, n, 17);
  EXPECT_EQ(dump_state(restored), dump_state(source));
  EXPECT_EQ(target.applied(), store.applied());
}

TEST_F(Snapshot, TwoExportsOfTheSameStateAreTheSameBytes) {
  Log log = mixed_log(60, 2);
  Dsn a = fresh_database("a"), b = fresh_database("b");
  Store sa(a), sb(b);
  apply_all(sa, log, 1, 60, 60);
  apply_all(sb, log, 1, 60, 1);
  SnapshotInfo ia = sa.export_snapshot(dir_ / "a"), ib = sb.export_snapshot(dir_ / "b");
  EXPECT_EQ(ia.checksum, ib.checksum);
  EXPECT_EQ(ia.bytes, ib.bytes);
}

TEST_F(Snapshot, ImportReplacesEverythingThatWasThere) {
  Log log = mixed_log(80, 4), other = mixed_log(150, 9);
  Dsn from = fresh_database("from"), into = fresh_database("into");
  Store src(from), dst(into);
  apply_all(src, log, 1, 80);
  apply_all(dst, other, 1, 150);
  src.export_snapshot(dir_ / "snap");
  dst.import_snapshot(dir_ / "snap");
  EXPECT_EQ(dump_state(into), dump_state(from));
  EXPECT_EQ(dst.applied().index, 80u);
  TaskQuery everything;
  everything.limit = kMaxLimit;
  auto page = dst.list_tasks(everything);
  EXPECT_EQ(page.items.size(), static_cast<std::size_t>(query_number(from, "SELECT COUNT(*) FROM tasks")));
}

TEST_F(Snapshot, ADamagedFileIsRefusedAndChangesNothing) {
  Log log = mixed_log(50, 8);
  Dsn from = fresh_database("from"), into = fresh_database("into");
  Store src(from), dst(into);
  apply_all(src, log, 1, 50);
  apply_all(dst, log, 1, 20);
  src.export_snapshot(dir_ / "good");
  const std::string before = dump_state(into);

  std::string bytes;
  {
    std::ifstream in(dir_ / "good", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return dir_ / name;
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x01;
  std::string wrong_magic = bytes;
  wrong_magic[0] = 'X';
  // A frame whose length claims 240 MiB more than the file holds.
  const std::string claims_more = bytes.substr(0, 8) + std::string("R\0\0\0\x0f", 5) + "x";
  auto open_files = [] { return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()); };
  const auto files_before = open_files();
  for (const fs::path& bad : {write("flipped", flipped), write("truncated", bytes.substr(0, bytes.size() - 3)),
                              write("half", bytes.substr(0, bytes.size() / 2)), write("magic", wrong_magic),
                              write("longer", bytes + "x"), write("empty", ""), write("claims-more", claims_more)}) {
    EXPECT_THROW(dst.import_snapshot(bad), SnapshotError) << bad;
    EXPECT_EQ(dump_state(into), before) << bad;
  }
  EXPECT_EQ(open_files(), files_before) << "a refused file is closed";
  EXPECT_THROW(dst.import_snapshot(dir_ / "missing"), SnapshotError);
  dst.import_snapshot(dir_ / "good");
  EXPECT_EQ(dump_state(into), dump_state(from));
}

}  // namespace
}  // namespace taskraft::store::testing

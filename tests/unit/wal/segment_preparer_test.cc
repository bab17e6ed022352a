// The spare segment prepared in the background: handed over whole (zeros, full size, open for
// writing), removed when nobody took it, and its failure reported by take().
#include "wal/segment_preparer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "wal/wal_error.h"
#include "wal_test_util.h"

namespace taskraft::wal {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

TEST(SegmentPreparer, TakeHandsOverAZeroFilledFileOfTheFullSizeOpenForWriting) {
  TempDir tmp;
  SegmentPreparer preparer(tmp / "a.wal.tmp", 300000);
  File f = preparer.take();
  EXPECT_EQ(f.path(), tmp / "a.wal.tmp");
  EXPECT_EQ(test::read_bytes(tmp / "a.wal.tmp"), std::string(300000, '\0'));
  f.write_at(299999, "xy");
  EXPECT_EQ(fs::file_size(tmp / "a.wal.tmp"), 300001u);
}

TEST(SegmentPreparer, ASpareNobodyTookIsRemoved) {
  TempDir tmp;
  { SegmentPreparer preparer(tmp / "a.wal.tmp", 4096); }
  EXPECT_FALSE(fs::exists(tmp / "a.wal.tmp"));
}

TEST(SegmentPreparer, MoveAssignmentDisposesOfTheOldSpareAndTakesOverTheWork) {
  TempDir tmp;
  SegmentPreparer kept(tmp / "a.wal.tmp", 4096);
  {
    SegmentPreparer other(tmp / "b.wal.tmp", 8192);
    kept = std::move(other);
    EXPECT_FALSE(fs::exists(tmp / "a.wal.tmp"));
  }  // the moved-from preparer owns nothing, so b stays
  File f = kept.take();
  EXPECT_EQ(f.path(), tmp / "b.wal.tmp");
  EXPECT_EQ(fs::file_size(tmp / "b.wal.tmp"), 8192u);
}

TEST(SegmentPreparer, AFailureIsThrownByTake) {
  TempDir tmp;
  fs::path impossible = tmp / "missing-dir" / "a.wal.tmp";
  SegmentPreparer preparer(impossible, 4096);
  try {
    preparer.take();
    ADD_FAILURE() << "prepared a file in a directory that does not exist";
  } catch (const WalError& e) {
    EXPECT_EQ(e.path(), impossible) << e.what();
  }
}

}  // namespace
}  // namespace taskraft::wal

// Preallocated segments: a new segment file is WalOptions::segment_bytes of zeros that batches
// overwrite; zeros after the last complete batch are a segment's end, not damage, but zeros where
// synced data was are still damage; a torn tail is cleared with zeros and the file keeps its size;
// version-1 segments (not preallocated) are read and written on; a spare is made once the active
// segment is half full and never outlives the Wal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "wal/crc32c.h"
#include "wal/le.h"
#include "wal/segment.h"
#include "wal/wal.h"
#include "wal/wal_error.h"
#include "wal_test_util.h"

namespace taskraft::wal {
namespace {

namespace fs = std::filesystem;
using test::make_entries;
using test::ModelLog;
using test::TempDir;

const WalOptions kSmall{4096};

std::uint32_t format_version(const fs::path& segment) {
  return get_le<std::uint32_t>(test::read_bytes(segment).data() + 8);
}

// Files of `dir` named like spares or other leftovers of segment creation.
std::vector<fs::path> temp_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().ends_with(".wal.tmp")) out.push_back(e.path());
  }
  return out;
}

// Where one synced batch ended.
struct BatchEnd {
  fs::path file;
  std::uint64_t end = 0;
};

// Syncs batches of `per_batch` entries (first..last, `size` bytes each) with a hard state, into
// `wal` and `model`; returns where each batch ended.
std::vector<BatchEnd> write_batches(Wal& wal, ModelLog& model, raft::Index first, raft::Index last,
                                    raft::Index per_batch, std::size_t size) {
  std::vector<BatchEnd> ends;
  for (raft::Index i = first; i <= last; i += per_batch) {
    auto entries = make_entries(i, std::min(last, i + per_batch - 1), 1, size);
    wal.append(entries);
    wal.save_hard_state({1, 1, i});
    wal.sync();
    model.append(entries);
    model.state.hard = {1, 1, i};
    fs::path file = test::segment_files(wal.dir()).back();
    ends.push_back(BatchEnd{file, test::data_end(file)});
  }
  return ends;
}

// A new log in `dir` holding entries 1..last, `per_batch` to a sync (100 bytes each).
std::vector<BatchEnd> write_log(const fs::path& dir, const WalOptions& options, ModelLog& model,
                                raft::Index last, raft::Index per_batch) {
  auto [wal, state, notes] = Wal::open(dir, options);
  return write_batches(wal, model, 1, last, per_batch, 100);
}

// Opening `dir` needs no repair and returns what `model` holds.
void expect_reopens_to(const fs::path& dir, const WalOptions& options, const ModelLog& model) {
  auto opened = Wal::open(dir, options);
  EXPECT_TRUE(opened.notes.empty()) << opened.notes.front();
  test::expect_state_eq(opened.state, model.state);
}

// A segment this build made: version 2, preallocated (longer only if its data outgrew that).
void expect_preallocated(const fs::path& segment, const WalOptions& options) {
  EXPECT_EQ(format_version(segment), 2u) << segment;
  EXPECT_EQ(fs::file_size(segment), std::max(options.segment_bytes, test::data_end(segment))) << segment;
}

TEST(WalPreallocation, NewSegmentsHaveTheirFullSizeAndReopeningFindsExactlyWhatWasSynced) {
  TempDir tmp;
  ModelLog model;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), kSmall);
    write_batches(wal, model, 1, 210, 10, 100);
    wal.append(make_entries(211, 215, 1, 100));  // never synced
  }
  auto files = test::segment_files(tmp.path());
  ASSERT_GE(files.size(), 3u);
  for (const auto& f : files) expect_preallocated(f, kSmall);
  ASSERT_LT(test::data_end(files.back()), kSmall.segment_bytes) << "the last segment has zeros left";
  EXPECT_TRUE(temp_files(tmp.path()).empty()) << "the unused spare is removed with the Wal";

  for (raft::Index round = 0; round < 3; ++round) {  // writing goes on over the zeros
    expect_reopens_to(tmp.path(), kSmall, model);
    auto opened = Wal::open(tmp.path(), kSmall);
    raft::Index next = opened.wal.last_index() + 1;
    write_batches(opened.wal, model, next, next + 14, 5, 100);
  }
  expect_reopens_to(tmp.path(), kSmall, model);
}

TEST(WalPreallocation, TheNextSegmentIsPreparedOnlyOnceTheActiveOneIsHalfFull) {
  TempDir tmp;
  ModelLog model;
  const WalOptions options{64 * 1024};
  auto [wal, state, notes] = Wal::open(tmp.path(), options);
  const fs::path active = test::segment_files(tmp.path()).back();
  raft::Index next = 1;
  while (test::data_end(active) + 2000 < options.segment_bytes / 2) {
    write_batches(wal, model, next, next + 4, 5, 100);
    next += 5;
  }
  EXPECT_TRUE(temp_files(tmp.path()).empty()) << "a log that stays small keeps one segment file";
  while (test::data_end(active) < options.segment_bytes / 2) {
    write_batches(wal, model, next, next + 4, 5, 100);
    next += 5;
  }
  // The spare's file is created by the background work: wait for it to show.
  for (int i = 0; i < 1000 && temp_files(tmp.path()).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(temp_files(tmp.path()), std::vector<fs::path>{tmp / spare_segment_name(2)});
}

TEST(WalPreallocation, UnfinishedLastBatchFollowedByZerosIsATornTailAndTheFileKeepsItsSize) {
  TempDir tmp;
  const WalOptions one_segment{1 << 16};
  ModelLog model;
  std::vector<BatchEnd> ends;
  raft::InitialState before_last;
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), one_segment);
    ends = write_batches(wal, model, 1, 40, 10, 100);
    before_last = model.state;
    auto last_batch = write_batches(wal, model, 41, 50, 10, 100);
    ends.push_back(last_batch.back());
  }
  fs::path file = ends.back().file;
  ASSERT_EQ(test::segment_files(tmp.path()), std::vector<fs::path>{file});
  std::uint64_t start = ends[ends.size() - 2].end;
  std::uint64_t end = ends.back().end;
  // The crash wrote the first part of the last batch; the rest is the preallocated zeros.
  std::uint64_t written = start + (end - start) / 2;
  test::zero_bytes(file, written, end - written);
  {
    auto opened = Wal::open(tmp.path(), one_segment);
    test::expect_state_eq(opened.state, before_last);
    ASSERT_EQ(opened.notes.size(), 1u);
    EXPECT_NE(opened.notes[0].find("torn tail"), std::string::npos) << opened.notes[0];
    EXPECT_NE(opened.notes[0].find("overwritten with zeros"), std::string::npos) << opened.notes[0];
    EXPECT_EQ(fs::file_size(file), one_segment.segment_bytes);
    std::string bytes = test::read_bytes(file);
    EXPECT_EQ(bytes.find_first_not_of('\0', start), std::string::npos) << "torn bytes are zeros";

    model.state = before_last;
    write_batches(opened.wal, model, 41, 45, 5, 60);  // the same indexes again, other contents
  }
  expect_reopens_to(tmp.path(), one_segment, model);
}

TEST(WalPreallocation, ZerosInPlaceOfABatchFollowedByAnIntactLaterBatchAreAnError) {
  TempDir tmp;
  ModelLog model;
  auto ends = write_log(tmp.path(), WalOptions{1 << 16}, model, 50, 10);
  fs::path file = ends.back().file;
  // Batch 3 of 5, synced long ago, reads back as zeros; batches 4 and 5 are intact.
  test::zero_bytes(file, ends[1].end, ends[2].end - ends[1].end);
  test::expect_open_error(tmp.path(), file,
                          "offset " + std::to_string(ends[1].end) + ": malformed record header, followed by "
                          "an intact record of another batch at offset " + std::to_string(ends[2].end));
}

TEST(WalPreallocation, ZerosInTheMiddleOfAnEarlierSegmentFollowedByDataAreAnError) {
  TempDir tmp;
  ModelLog model;
  auto ends = write_log(tmp.path(), WalOptions{1 << 13}, model, 300, 10);
  auto files = test::segment_files(tmp.path());
  ASSERT_GE(files.size(), 3u);
  std::vector<std::uint64_t> in_first;  // batch ends in the first segment
  for (const auto& e : ends) {
    if (e.file == files[0]) in_first.push_back(e.end);
  }
  ASSERT_GE(in_first.size(), 3u);
  test::zero_bytes(files[0], in_first[0], in_first[1] - in_first[0]);
  test::expect_open_error(tmp.path(), files[0],
                          "offset " + std::to_string(in_first[0]) +
                              ": malformed record header in a segment that is not the last one");
}

TEST(WalPreallocation, LastRecordWhosePayloadEndsInZerosSurvivesReopening) {
  TempDir tmp;
  raft::Entry zeros_at_end{1, 1, raft::EntryType::kNormal,
                           "payload that ends in zeros" + std::string(9, '\0')};
  {
    auto [wal, state, notes] = Wal::open(tmp.path(), kSmall);
    wal.append({zeros_at_end});
    wal.sync();  // the entry is the last record of the last batch
  }
  fs::path file = test::segment_files(tmp.path()).back();
  std::string bytes = test::read_bytes(file);
  std::size_t marker = bytes.find("payload that ends in zeros");
  ASSERT_NE(marker, std::string::npos);
  ASSERT_EQ(bytes.find_first_not_of('\0', marker + 26), std::string::npos)
      << "the record's last bytes run into the preallocated zeros";

  raft::Entry next{1, 2, raft::EntryType::kNormal, "next"};
  {
    auto opened = Wal::open(tmp.path(), kSmall);
    EXPECT_TRUE(opened.notes.empty());
    EXPECT_EQ(opened.state.entries, std::vector<raft::Entry>{zeros_at_end});
    opened.wal.append({next});
    opened.wal.sync();
  }
  auto opened = Wal::open(tmp.path(), kSmall);
  EXPECT_TRUE(opened.notes.empty());
  EXPECT_EQ(opened.state.entries, (std::vector<raft::Entry>{zeros_at_end, next}));
}

TEST(WalPreallocation, Version1SegmentIsReadAndWrittenOnAndTheNextSegmentIsPreallocated) {
  TempDir tmp;
  ModelLog model;
  write_log(tmp.path(), WalOptions{1 << 16}, model, 20, 5);
  // What an older build left: the file ends with its data, and its header says version 1.
  fs::path old_segment = test::segment_files(tmp.path()).back();
  std::string bytes = test::read_bytes(old_segment);
  bytes.resize(test::data_end(old_segment));
  store_le<std::uint32_t>(bytes.data() + 8, 1);
  store_le<std::uint32_t>(bytes.data() + 40, crc32c(std::string_view(bytes).substr(0, 40)));
  test::write_bytes(old_segment, bytes);
  ASSERT_EQ(format_version(old_segment), 1u);
  ASSERT_LT(bytes.size(), kSmall.segment_bytes);
  expect_reopens_to(tmp.path(), kSmall, model);
  {
    auto opened = Wal::open(tmp.path(), kSmall);
    write_batches(opened.wal, model, 21, 200, 10, 100);
  }
  auto files = test::segment_files(tmp.path());
  ASSERT_GE(files.size(), 3u);
  ASSERT_EQ(files[0], old_segment);
  EXPECT_EQ(format_version(old_segment), 1u);
  EXPECT_GT(fs::file_size(old_segment), bytes.size()) << "written on past its old end";
  EXPECT_EQ(fs::file_size(old_segment), test::data_end(old_segment)) << "no zeros added";
  for (std::size_t i = 1; i < files.size(); ++i) expect_preallocated(files[i], kSmall);
  expect_reopens_to(tmp.path(), kSmall, model);
}

TEST(WalPreallocation, SpareLeftByACrashIsRemovedAtOpen) {
  TempDir tmp;
  ModelLog model;
  write_log(tmp.path(), kSmall, model, 10, 5);
  // A crash after the spare got its header and first batch, before its rename.
  fs::path spare = tmp / spare_segment_name(2);
  test::write_bytes(spare, test::read_bytes(test::segment_files(tmp.path())[0]));
  {
    auto opened = Wal::open(tmp.path(), kSmall);
    ASSERT_EQ(opened.notes.size(), 1u);
    EXPECT_NE(opened.notes[0].find("removed " + spare.string()), std::string::npos) << opened.notes[0];
    test::expect_state_eq(opened.state, model.state);
    EXPECT_EQ(test::segment_files(tmp.path()).size(), 1u);
  }
  EXPECT_TRUE(temp_files(tmp.path()).empty());
}

// Makes sure file descriptors 0, 1 and 2 are taken, so the next ones opened are 3, 4, ...
void occupy_standard_fds() {
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) < 0 && ::open("/dev/null", O_RDWR) < 0) std::_Exit(10);
  }
}

TEST(WalPreallocation, SpareThatCannotBeMadeFailsTheSyncThatNeedsIt) {
  TempDir tmp;
  ModelLog model;
  write_log(tmp.path(), kSmall, model, 10, 5);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Room for two descriptors: the lock and the active segment (and recovery's passing reads
    // before that), none for the spare the background thread creates.
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);
    occupy_standard_fds();
    struct rlimit limit{5, 5};
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) std::_Exit(11);
    int code = 2;  // the spare was never needed
    try {
      auto opened = Wal::open(tmp.path(), kSmall);
      for (raft::Index i = 11; i < 200 && code == 2; ++i) {
        opened.wal.append(make_entries(i, i, 1, 100));
        try {
          opened.wal.sync();
        } catch (const WalError& e) {
          code = e.path() == tmp / spare_segment_name(2) ? 0 : 4;
        }
      }
      if (code == 0) {
        try {
          opened.wal.sync();
          code = 5;  // used after a failed sync
        } catch (const WalError&) {
        }
      }
    } catch (...) {
      code = 3;
    }
    std::_Exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: no sync failed, 3: open failed, 4: another error, "
                                       "5: the Wal went on after the failure";
  // Everything synced before the failure is there.
  auto opened = Wal::open(tmp.path(), kSmall);
  ASSERT_GE(opened.state.entries.size(), 10u);
  EXPECT_EQ(opened.state.entries.front(), model.state.entries.front());
}

}  // namespace
}  // namespace taskraft::wal

// A writer process killed with SIGKILL in the middle of its append loop loses no entry whose
// sync had returned. The child reports every synced index through a pipe; the parent kills it at
// a random moment (mid-write, mid-fdatasync, mid-segment-creation: wherever it is), recovers
// the log, checks it, and lets the next child continue from what survived.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <map>
#include <random>

#include "wal/wal.h"
#include "wal_test_util.h"

namespace taskraft::wal {
namespace {

namespace fs = std::filesystem;
using test::make_entries;

const WalOptions kSmallSegments{16 << 10};  // frequent segment creation, so kills land there too

// The child: append batches of `term` after whatever the log holds, forever, reporting the last
// index of every batch once its sync returned. Never returns.
[[noreturn]] void run_writer(const fs::path& dir, raft::Term term, int report_fd) {
  try {
    auto [wal, state, notes] = Wal::open(dir, kSmallSegments);
    std::mt19937 rng(static_cast<unsigned>(term));
    for (;;) {
      raft::Index first = wal.last_index() + 1;
      raft::Index last = first + rng() % 16;
      wal.append(make_entries(first, last, term, 40 + rng() % 200));
      wal.save_hard_state({term, 1, first - 1});
      wal.sync();
      std::uint64_t synced = last;
      if (::write(report_fd, &synced, sizeof synced) != sizeof synced) ::_exit(2);
    }
  } catch (...) {
    ::_exit(3);
  }
}

// Reads one report; false at end of stream.
bool read_report(int fd, std::uint64_t& index) {
  std::size_t got = 0;
  auto* p = reinterpret_cast<char*>(&index);
  while (got < sizeof index) {
    ssize_t n = ::read(fd, p + got, sizeof index - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

TEST(WalCrash, KilledWriterLosesNoEntryWhoseSyncReturned) {
  test::TempDir tmp;
  std::mt19937 rng(2024);
  // index -> term, for every entry known durable: acknowledged by a child, or recovered before
  // (children only append after what they recovered, so those stay).
  std::map<raft::Index, raft::Term> durable;
  raft::Index recovered_last = 0;
  for (raft::Term round = 1; round <= 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      run_writer(tmp.path(), round, fds[1]);
    }
    ::close(fds[1]);

    // Let it run for a random number of batches, kill it, then collect every report it made.
    std::size_t batches_before_kill = 20 + rng() % 150;
    std::uint64_t index = 0;
    raft::Index synced = recovered_last;
    for (std::size_t i = 0; i < batches_before_kill && read_report(fds[0], index); ++i) synced = index;
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    while (read_report(fds[0], index)) synced = index;
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;
    ASSERT_GT(synced, recovered_last) << "the writer synced nothing";
    for (raft::Index i = recovered_last + 1; i <= synced; ++i) durable[i] = round;

    auto opened = Wal::open(tmp.path(), kSmallSegments);
    const auto& entries = opened.state.entries;
    ASSERT_GE(entries.size(), synced) << "an entry whose sync returned is lost";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const raft::Entry& e = entries[i];
      ASSERT_EQ(e.index, i + 1);
      auto known = durable.find(e.index);
      ASSERT_EQ(e.term, known != durable.end() ? known->second : round) << "index " << e.index;
      ASSERT_EQ(e, test::make_entry(e.index, e.term, e.data.size())) << "damaged entry " << e.index;
    }
    EXPECT_EQ(opened.state.hard.term, round);
    EXPECT_LT(opened.state.hard.commit, entries.size());
    for (const auto& e : entries) durable[e.index] = e.term;
    recovered_last = entries.size();
  }
}

}  // namespace
}  // namespace taskraft::wal

// wal_bench: how close the WAL's group commit gets to what the disk can do.
//
// Measures, at the data directory given (default: a fresh directory under /tmp):
//   (a) the raw fdatasync rate, 4 KiB written at increasing offsets and fdatasync'd, in a loop,
//       in two modes: appending to a growing file (every sync also commits the new file size),
//       and overwriting a file zero-filled and synced beforehand (what the WAL does in its
//       preallocated segments);
//   (b) WAL throughput with group commit: append a batch of N entries (~200 bytes each) plus a
//       hard state, sync, in a loop, for N = 1, 16, 64, 256, each into a fresh log (its first
//       segment is zero-filled before the clock starts; later ones in the background, counted).
// and prints a table with each WAL figure's ratio to the raw OVERWRITE rate (the ceiling for the
// WAL's own write pattern): syncs/raw shows what the WAL adds per sync, entries/raw what group
// commit gains. It prints figures only and never fails on a timer.
//
// Usage: wal_bench [--dir DIR] [--seconds S per measurement, default 2] [--entry-bytes B]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "wal/wal.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using taskraft::wal::Wal;

struct Args {
  fs::path dir;
  bool own_dir = false;  // made by the bench, removed at the end
  double seconds = 2.0;
  std::size_t entry_bytes = 200;
};

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "wal_bench: %s\n", why.c_str());
  std::exit(1);
}

[[noreturn]] void usage(const std::string& why) {
  fail(why + "\nusage: wal_bench [--dir DIR] [--seconds S] [--entry-bytes B]");
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag != "--dir" && flag != "--seconds" && flag != "--entry-bytes") usage("unknown option " + flag);
    if (i + 1 >= argc) usage("missing value for " + flag);
    std::string value = argv[++i];
    if (flag == "--dir") a.dir = value;
    else if (flag == "--seconds") a.seconds = std::atof(value.c_str());
    else a.entry_bytes = std::strtoull(value.c_str(), nullptr, 10);
  }
  if (a.seconds <= 0) usage("--seconds must be positive");
  if (a.dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "wal-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) fail("cannot create a directory under the temp dir");
    a.dir = tmpl;
    a.own_dir = true;
  }
  return a;
}

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

enum class RawMode { kAppend, kOverwriteZeros };

// (a) 4 KiB writes, each followed by fdatasync, through the WAL's own File (the same syscalls).
double raw_fdatasync_rate(const fs::path& dir, RawMode mode, double seconds) {
  fs::path file = dir / "raw-fdatasync.dat";
  fs::remove(file);
  double rate = 0;
  {
    auto f = taskraft::wal::File::create_new(file);
    std::string block(4096, 'x');
    // Overwriting cycles through 64 MiB of zeros (eight default segments: a block is rewritten
    // only every few seconds), written and synced first, as SegmentPreparer makes a segment.
    const std::uint64_t zeroed_blocks = (64u << 20) / block.size();
    if (mode == RawMode::kOverwriteZeros) {
      f.write_zeros(0, zeroed_blocks * block.size());
      f.datasync();
    }
    std::uint64_t n = 0;
    auto start = Clock::now();
    while (since(start) < seconds) {
      std::uint64_t at = mode == RawMode::kAppend ? n : n % zeroed_blocks;
      f.write_at(at * block.size(), block);
      f.datasync();
      ++n;
    }
    rate = static_cast<double>(n) / since(start);
  }
  fs::remove(file);
  return rate;
}

struct WalRate {
  double syncs_per_s = 0;
  double entries_per_s = 0;
};

// (b) batches of `batch` entries and a hard state, one sync each, into a fresh log.
WalRate wal_rate(const fs::path& dir, std::size_t batch, std::size_t entry_bytes, double seconds) {
  fs::remove_all(dir);
  auto opened = Wal::open(dir);
  Wal& wal = opened.wal;
  std::vector<taskraft::raft::Entry> entries(batch);
  for (auto& e : entries) e = taskraft::raft::Entry{1, 0, taskraft::raft::EntryType::kNormal, std::string(entry_bytes, 'e')};
  std::uint64_t syncs = 0;
  taskraft::raft::Index next = 1;
  auto start = Clock::now();
  while (since(start) < seconds) {
    for (auto& e : entries) e.index = next++;
    wal.append(entries);
    wal.save_hard_state({1, 1, next - 1});
    wal.sync();
    ++syncs;
  }
  double elapsed = since(start);
  return WalRate{static_cast<double>(syncs) / elapsed, static_cast<double>(syncs * batch) / elapsed};
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse_args(argc, argv);
  try {
    std::printf("wal_bench: dir %s, %.1f s per measurement, %zu-byte entries\n\n", args.dir.c_str(),
                args.seconds, args.entry_bytes);
    double append = raw_fdatasync_rate(args.dir, RawMode::kAppend, args.seconds);
    std::printf("raw 4 KiB write + fdatasync, appending:                %6.0f /s (%.3f ms each)\n", append,
                1000.0 / append);
    double raw = raw_fdatasync_rate(args.dir, RawMode::kOverwriteZeros, args.seconds);
    std::printf("raw 4 KiB write + fdatasync, overwriting a zeroed file: %6.0f /s (%.3f ms each)\n\n", raw,
                1000.0 / raw);
    std::printf("ratios (/raw) are to the overwriting rate, the WAL's own write pattern\n");
    std::printf("%6s %12s %14s %10s %12s %12s\n", "batch", "syncs/s", "entries/s", "MB/s",
                "syncs/raw", "entries/raw");
    for (std::size_t batch : {1, 16, 64, 256}) {
      WalRate r = wal_rate(args.dir / ("wal-batch-" + std::to_string(batch)), batch, args.entry_bytes,
                           args.seconds);
      std::printf("%6zu %12.0f %14.0f %10.1f %12.2f %12.1f\n", batch, r.syncs_per_s, r.entries_per_s,
                  r.entries_per_s * static_cast<double>(args.entry_bytes) / 1e6, r.syncs_per_s / raw,
                  r.entries_per_s / raw);
      std::fflush(stdout);
      fs::remove_all(args.dir / ("wal-batch-" + std::to_string(batch)));
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
  if (args.own_dir) fs::remove_all(args.dir);
  return 0;
}

// Helpers shared by the WAL tests: a private temporary directory, entries with recognisable
// contents, whole-file reads and writes, where a segment's data ends, and a reference model of
// the log a test expects.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "raft/raft.h"

namespace taskraft::wal::test {

// Where tests that repeat recovery thousands of times keep their data: /dev/shm when it is
// there (fdatasync costs nothing, so a busy shared disk does not slow them down; they test
// recovery's decisions, not the disk), else the system temp dir.
std::filesystem::path memory_temp_base();

// A fresh directory under `base`, removed with everything in it at scope exit.
class TempDir {
 public:
  explicit TempDir(const std::filesystem::path& base = std::filesystem::temp_directory_path());
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Entry `index` of `term` whose data (about `size` bytes) is a function of both, so a test can
// check any recovered entry without remembering it.
raft::Entry make_entry(raft::Index index, raft::Term term, std::size_t size = 32);
std::vector<raft::Entry> make_entries(raft::Index first, raft::Index last, raft::Term term,
                                      std::size_t size = 32);

std::string read_bytes(const std::filesystem::path& p);
void write_bytes(const std::filesystem::path& p, const std::string& bytes);
// The segment files of a WAL directory, in sequence order.
std::vector<std::filesystem::path> segment_files(const std::filesystem::path& dir);
// Where the data of an undamaged segment file ends (the end of its last complete batch), as
// recovery's scan reads it; a preallocated file holds zeros from there on.
std::uint64_t data_end(const std::filesystem::path& segment);
// Overwrites `length` bytes of `p` from `offset` on with zeros, keeping the file's size.
void zero_bytes(const std::filesystem::path& p, std::uint64_t offset, std::uint64_t length);
// Copies the segment files of `from` into the empty directory `to`.
void copy_segments(const std::filesystem::path& from, const std::filesystem::path& to);

// What a correct recovery must return, maintained by the test next to the Wal.
struct ModelLog {
  raft::InitialState state;
  void append(const std::vector<raft::Entry>& entries);
  // Only snapshot points whose entry is in the log with the same term (the common case).
  void mark_snapshot(const raft::SnapshotMeta& m);
};

// Expects opening `dir` to fail with a WalError about `file` whose message contains `what`.
void expect_open_error(const std::filesystem::path& dir, const std::filesystem::path& file,
                       const std::string& what);

void expect_state_eq(const raft::InitialState& got, const raft::InitialState& want);

}  // namespace taskraft::wal::test

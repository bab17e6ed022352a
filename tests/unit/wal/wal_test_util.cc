// Implements wal_test_util.h.
#include "wal_test_util.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "wal/segment.h"
#include "wal/segment_scan.h"
#include "wal/wal.h"
#include "wal/wal_error.h"

namespace taskraft::wal::test {

namespace fs = std::filesystem;

fs::path memory_temp_base() {
  const fs::path shm = "/dev/shm";
  return ::access(shm.c_str(), W_OK) == 0 ? shm : fs::temp_directory_path();
}

TempDir::TempDir(const fs::path& base) {
  std::string tmpl = (base / "taskraft-wal-test-XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  if (made == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

raft::Entry make_entry(raft::Index index, raft::Term term, std::size_t size) {
  std::string data = "entry " + std::to_string(index) + " term " + std::to_string(term) + ":";
  while (data.size() < size) data.push_back(static_cast<char>('a' + (index * 7 + data.size()) % 26));
  return raft::Entry{term, index, raft::EntryType::kNormal, std::move(data)};
}

std::vector<raft::Entry> make_entries(raft::Index first, raft::Index last, raft::Term term,
                                      std::size_t size) {
  std::vector<raft::Entry> out;
  for (raft::Index i = first; i <= last; ++i) out.push_back(make_entry(i, term, size));
  return out;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<fs::path> segment_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (parse_segment_name(e.path().filename().string())) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());  // fixed-width hex names sort in sequence order
  return out;
}

std::uint64_t data_end(const fs::path& segment) {
  return scan_segment(segment, read_bytes(segment), true).valid_size;
}

void zero_bytes(const fs::path& p, std::uint64_t offset, std::uint64_t length) {
  std::string bytes = read_bytes(p);
  if (offset + length > bytes.size()) throw std::logic_error("zero_bytes past the end of " + p.string());
  bytes.replace(offset, length, length, '\0');
  write_bytes(p, bytes);
}

void copy_segments(const fs::path& from, const fs::path& to) {
  for (const auto& p : segment_files(from)) fs::copy_file(p, to / p.filename());
}

void ModelLog::append(const std::vector<raft::Entry>& entries) {
  for (const auto& e : entries) {
    auto& log = state.entries;
    log.erase(std::remove_if(log.begin(), log.end(), [&](const raft::Entry& x) { return x.index >= e.index; }),
              log.end());
    log.push_back(e);
  }
}

void ModelLog::mark_snapshot(const raft::SnapshotMeta& m) {
  auto& log = state.entries;
  log.erase(std::remove_if(log.begin(), log.end(), [&](const raft::Entry& x) { return x.index <= m.index; }),
            log.end());
  state.snapshot = m;
}

void expect_open_error(const fs::path& dir, const fs::path& file, const std::string& what) {
  try {
    Wal::open(dir);
    ADD_FAILURE() << "opened " << dir << ", expected an error about " << file << ": " << what;
  } catch (const WalError& e) {
    EXPECT_EQ(e.path(), file) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

void expect_state_eq(const raft::InitialState& got, const raft::InitialState& want) {
  EXPECT_EQ(got.hard, want.hard);
  EXPECT_EQ(got.snapshot, want.snapshot);
  ASSERT_EQ(got.entries.size(), want.entries.size());
  for (std::size_t i = 0; i < got.entries.size(); ++i) {
    ASSERT_EQ(got.entries[i], want.entries[i]) << "entry #" << i;
  }
}

}  // namespace taskraft::wal::test

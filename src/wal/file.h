// Thin POSIX file and directory operations for the WAL, each failing with a WalError that names
// the file (and the offset, for positioned writes) instead of returning an error code.
//
// Guarantees: write_at and write_zeros write every byte or throw (short writes and EINTR are
// retried); datasync is fdatasync(2), so after it returns the written bytes and the file size survive a
// power loss; sync_dir makes creations, renames and removals of directory entries durable. No
// operation here buffers in user space.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace taskraft::wal {

class File {
 public:
  // Opens an existing file for writing (no O_APPEND: callers write at explicit offsets).
  static File open_existing(const std::filesystem::path& path);
  static File open_or_create(const std::filesystem::path& path);
  // Creates a file that must not exist yet (O_EXCL), mode 0644.
  static File create_new(const std::filesystem::path& path);

  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  void write_at(std::uint64_t offset, std::string_view bytes);
  // Writes `length` zero bytes from `offset` on (real zeros, not a hole or unwritten extent).
  void write_zeros(std::uint64_t offset, std::uint64_t length);
  void datasync();
  // Takes an exclusive advisory lock (flock) without waiting; false if another holder has it.
  bool try_lock();

  const std::filesystem::path& path() const { return path_; }
  // The path changes with rename_to; the descriptor stays the same open file.
  void rename_to(const std::filesystem::path& to);

 private:
  File(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  void close_quietly() noexcept;

  int fd_ = -1;
  std::filesystem::path path_;
};

std::string read_whole_file(const std::filesystem::path& path);
void sync_dir(const std::filesystem::path& dir);
void remove_file(const std::filesystem::path& path);
// Creates `dir` (and missing parents) if needed; when it did, the creation is made durable.
void ensure_dir(const std::filesystem::path& dir);

}  // namespace taskraft::wal

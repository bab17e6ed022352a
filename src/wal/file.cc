// Implements file.h on open/pwrite/fdatasync/flock/rename/unlink/read.
#include "wal/file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include "wal/wal_error.h"

namespace taskraft::wal {
namespace {

int open_or_throw(const std::filesystem::path& path, int flags) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw WalError::from_errno(path, "open", errno);
  return fd;
}

}  // namespace

File File::open_existing(const std::filesystem::path& path) {
  return File(open_or_throw(path, O_WRONLY), path);
}

File File::open_or_create(const std::filesystem::path& path) {
  return File(open_or_throw(path, O_WRONLY | O_CREAT), path);
}

File File::create_new(const std::filesystem::path& path) {
  return File(open_or_throw(path, O_WRONLY | O_CREAT | O_EXCL), path);
}

File::File(File&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    close_quietly();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

File::~File() { close_quietly(); }

void File::close_quietly() noexcept {
  // Every byte that matters was made durable by datasync before; a close error changes nothing.
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void File::write_at(std::uint64_t offset, std::string_view bytes) {
  std::uint64_t at = offset;
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw WalError::from_errno(path_, "pwrite", errno, at);
    bytes.remove_prefix(static_cast<std::size_t>(n));
    at += static_cast<std::uint64_t>(n);
  }
}

void File::write_zeros(std::uint64_t offset, std::uint64_t length) {
  static const std::string zeros(1 << 20, '\0');
  while (length > 0) {
    std::uint64_t n = std::min<std::uint64_t>(length, zeros.size());
    write_at(offset, std::string_view(zeros).substr(0, static_cast<std::size_t>(n)));
    offset += n;
    length -= n;
  }
}

void File::datasync() {
  if (::fdatasync(fd_) != 0) throw WalError::from_errno(path_, "fdatasync", errno);
}

bool File::try_lock() {
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return true;
  if (errno == EWOULDBLOCK) return false;
  throw WalError::from_errno(path_, "flock", errno);
}

void File::rename_to(const std::filesystem::path& to) {
  if (::rename(path_.c_str(), to.c_str()) != 0) throw WalError::from_errno(path_, "rename", errno);
  path_ = to;
}

std::string read_whole_file(const std::filesystem::path& path) {
  int fd = open_or_throw(path, O_RDONLY);
  std::string out;
  // A preallocated segment is segment_bytes long however little it holds: one allocation of its
  // size, not a doubling string that briefly needs twice that.
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw WalError::from_errno(path, "read", err, out.size());
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

void sync_dir(const std::filesystem::path& dir) {
  int fd = open_or_throw(dir, O_RDONLY | O_DIRECTORY);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw WalError::from_errno(dir, "fsync", err);
}

void remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0) throw WalError::from_errno(path, "unlink", errno);
}

void ensure_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  bool created = std::filesystem::create_directories(dir, ec);
  if (ec) throw WalError(dir, std::nullopt, "create directory: " + ec.message());
  if (created) {
    auto abs = std::filesystem::absolute(dir, ec);
    if (ec) throw WalError(dir, std::nullopt, "absolute path: " + ec.message());
    if (!abs.has_filename()) abs = abs.parent_path();  // "a/b/" names the directory "a/b"
    sync_dir(abs.parent_path());
  }
}

}  // namespace taskraft::wal

// Implements incoming_file.h on POSIX file calls.
#include "transport/incoming_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include "transport/handshake.h"

namespace taskraft::transport {
namespace {

constexpr std::string_view kPartPrefix = "incoming-";
constexpr std::string_view kPartSuffix = ".part";

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

std::string random_token() {
  const Nonce bytes = random_nonce();
  constexpr std::size_t kTokenBytes = 8;
  char hex[2 * kTokenBytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes.data(), kTokenBytes);
  return hex;
}

}  // namespace

IncomingFile::IncomingFile(std::string dir) : dir_(std::move(dir)), token_(random_token()) {
  part_path_ = dir_ + "/" + std::string(kPartPrefix) + token_ + std::string(kPartSuffix);
  fd_ = ::open(part_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) throw_errno("cannot create " + part_path_);
}

IncomingFile::~IncomingFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(part_path_.c_str());
  }
}

void IncomingFile::write(std::string_view bytes) {
  assert(fd_ >= 0);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("cannot write " + part_path_);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string IncomingFile::commit(std::string_view stem) {
  assert(fd_ >= 0);
  if (::fsync(fd_) != 0) throw_errno("cannot sync " + part_path_);
  const std::string final_path = dir_ + "/" + std::string(stem) + "-" + token_ + ".snap";
  if (::rename(part_path_.c_str(), final_path.c_str()) != 0) throw_errno("cannot rename " + part_path_);
  ::close(fd_);
  fd_ = -1;
  return final_path;
}

void IncomingFile::remove_leftovers(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(kPartPrefix) && name.ends_with(kPartSuffix)) std::filesystem::remove(entry.path(), ec);
  }
}

}  // namespace taskraft::transport

// The one exception type of the WAL: an I/O failure or a damaged log, named precisely.
//
// Guarantees: what() always names the file and, where it is about a place in a file, the byte
// offset (e.g. "wal: /data/wal/0000000000000003-0000000000000401.wal: offset 8123: record
// checksum mismatch, followed by an intact record of another batch at offset 8311: damage, not a
// torn write"), so an operator can find the spot. The same values are available as path() and offset() for callers that want to act on them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace taskraft::wal {

class WalError : public std::runtime_error {
 public:
  WalError(std::filesystem::path path, std::optional<std::uint64_t> offset, const std::string& what);

  // A failed system call: the message carries the call's name and strerror(err).
  static WalError from_errno(std::filesystem::path path, const char* call, int err,
                             std::optional<std::uint64_t> offset = std::nullopt);

  const std::filesystem::path& path() const { return path_; }
  std::optional<std::uint64_t> offset() const { return offset_; }

 private:
  std::filesystem::path path_;
  std::optional<std::uint64_t> offset_;
};

}  // namespace taskraft::wal

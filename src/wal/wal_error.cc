// Formats WalError messages as "wal: <path>: [offset N: ]<what>".
#include "wal/wal_error.h"

#include <cstring>

namespace taskraft::wal {
namespace {

std::string format(const std::filesystem::path& path, std::optional<std::uint64_t> offset,
                   const std::string& what) {
  std::string msg = "wal: " + path.string() + ": ";
  if (offset) msg += "offset " + std::to_string(*offset) + ": ";
  return msg + what;
}

}  // namespace

WalError::WalError(std::filesystem::path path, std::optional<std::uint64_t> offset,
                   const std::string& what)
    : std::runtime_error(format(path, offset, what)), path_(std::move(path)), offset_(offset) {}

WalError WalError::from_errno(std::filesystem::path path, const char* call, int err,
                              std::optional<std::uint64_t> offset) {
  return WalError(std::move(path), offset, std::string(call) + ": " + std::strerror(err));
}

}  // namespace taskraft::wal

// Implements segment_preparer.h with one std::async task per spare.
#include "wal/segment_preparer.h"

#include <unistd.h>

#include <cassert>
#include <string>
#include <system_error>
#include <utility>

#include "wal/wal_error.h"

namespace taskraft::wal {
namespace {

File zero_filled(const std::filesystem::path& path, std::uint64_t size) {
  File f = File::create_new(path);
  try {
    f.write_zeros(0, size);
    f.datasync();
  } catch (...) {
    // Ours (created just now, O_EXCL): a half-written spare would only hold disk space that may
    // have run out.
    ::unlink(path.c_str());
    throw;
  }
  return f;
}

std::future<File> start(std::filesystem::path path, std::uint64_t size) {
  try {
    return std::async(std::launch::async, zero_filled, path, size);
  } catch (const std::system_error& e) {  // no thread to be had: a failure to prepare like others
    std::promise<File> failed;
    failed.set_exception(std::make_exception_ptr(
        WalError(path, std::nullopt, std::string("start a thread to prepare the spare: ") + e.what())));
    return failed.get_future();
  }
}

}  // namespace

SegmentPreparer::SegmentPreparer(std::filesystem::path path, std::uint64_t size)
    : ready_(start(std::move(path), size)) {}

SegmentPreparer& SegmentPreparer::operator=(SegmentPreparer&& other) noexcept {
  if (this != &other) {
    discard();
    ready_ = std::move(other.ready_);
  }
  return *this;
}

SegmentPreparer::~SegmentPreparer() { discard(); }

File SegmentPreparer::take() {
  assert(ready_.valid());
  return ready_.get();
}

void SegmentPreparer::discard() noexcept {
  if (!ready_.valid()) return;
  try {
    File unused = ready_.get();
    remove_file(unused.path());
  } catch (...) {
    // A spare that failed to be made, or cannot be removed: recovery removes leftovers.
  }
}

}  // namespace taskraft::wal

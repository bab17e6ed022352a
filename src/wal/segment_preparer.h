// The next segment file, prepared ahead of time in the background: created under a spare name
// (segment.h spare_segment_name, a ".wal.tmp" name that recovery removes if it is left over),
// written full of zeros to its full size and fdatasync'd, so the Wal can take it when it starts a
// segment without waiting for the zero-filling (~10 ms for the default 8 MiB) on the thread
// that runs Raft.
// Why zeros: overwriting them needs no file-size change with every fdatasync (README.md,
// Decisions).
//
// Guarantees:
//   - The background work touches nothing but the spare file; take() and the destructor are
//     called from the owner's thread, so the owner needs no locking.
//   - take() waits for the work and hands over the file, open for writing, `size` bytes of zeros
//     that are durable; or throws the WalError the preparation failed with (a spare that failed
//     after its creation is removed, so it does not hold disk space that may have run out).
//   - Destruction (and move-assignment over a preparer) waits for the work, then removes a spare
//     that was never taken; a failure to remove is ignored (recovery removes leftovers). A
//     moved-from preparer owns nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <future>

#include "wal/file.h"

namespace taskraft::wal {

class SegmentPreparer {
 public:
  // Starts preparing `path` (which must not exist) with `size` zero bytes.
  SegmentPreparer(std::filesystem::path path, std::uint64_t size);
  SegmentPreparer(SegmentPreparer&& other) noexcept = default;
  SegmentPreparer& operator=(SegmentPreparer&& other) noexcept;
  SegmentPreparer(const SegmentPreparer&) = delete;
  SegmentPreparer& operator=(const SegmentPreparer&) = delete;
  ~SegmentPreparer();

  // Waits until the spare is ready and hands it over; may be called once.
  File take();

 private:
  void discard() noexcept;

  std::future<File> ready_;
};

}  // namespace taskraft::wal

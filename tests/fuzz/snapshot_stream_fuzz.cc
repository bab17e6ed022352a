// libFuzzer target: what a node reads of a snapshot another node streams to it: the payloads of
// the stream's messages (transport/snapshot_protocol.h: decode_snapshot_begin, _ack, _end and
// _done) and the snapshot file itself (store/snapshot_format.h: SnapshotReader), which the
// receiver hands to MySQL once its SHA-256 matched the sender's.
//
// Feeds: the input bytes, unchanged, to each payload decoder, and as a whole file (a memfd) to a
// SnapshotReader. Seeds: make_seeds writes one payload of each kind and two snapshot files made
// by SnapshotWriter.
//
// Asserts, besides what ASan and UBSan catch:
//   - ack, end and done accept exactly their layouts (8 bytes; 32 bytes; one byte 0 or 1) and
//     encode back to the very bytes they were read from; begin accepts only a size and one kSnap
//     message, and what it accepts encodes to a payload that decodes to the same (and encodes to
//     the same bytes again);
//   - the reader hands out frames or throws SnapshotError, nothing else; a file it reads to the end
//     (the end frame's row count and CRC verified) and that holds only header, table and row
//     frames is written again, frame by frame, by SnapshotWriter into the very same bytes.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "require.h"
#include "store/error.h"
#include "store/snapshot_format.h"
#include "transport/snapshot_protocol.h"

namespace {

namespace fs = std::filesystem;
namespace store = taskraft::store;
namespace transport = taskraft::transport;

void check_payload_decoders(std::string_view payload) {
  if (auto begin = transport::decode_snapshot_begin(payload)) {
    FUZZ_REQUIRE(begin->message.type == taskraft::raft::MessageType::kSnap);
    const std::string encoded = transport::encode_snapshot_begin(*begin);
    auto again = transport::decode_snapshot_begin(encoded);
    FUZZ_REQUIRE(again && again->size == begin->size && transport::encode_snapshot_begin(*again) == encoded);
  }
  const auto ack = transport::decode_snapshot_ack(payload);
  FUZZ_REQUIRE(ack.has_value() == (payload.size() == 8));
  if (ack) FUZZ_REQUIRE(transport::encode_snapshot_ack(*ack) == payload);

  const auto end = transport::decode_snapshot_end(payload);
  FUZZ_REQUIRE(end.has_value() == (payload.size() == 32));
  if (end) FUZZ_REQUIRE(transport::encode_snapshot_end(*end) == payload);

  const auto done = transport::decode_snapshot_done(payload);
  FUZZ_REQUIRE(done.has_value() == (payload.size() == 1 && (payload[0] == '\0' || payload[0] == '\1')));
  if (done) FUZZ_REQUIRE(transport::encode_snapshot_done(*done) == payload);
}

// A scratch folder for the files written again, on tmpfs when there is one (their fsync is
// then free), removed at exit.
const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string pattern = (fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp") + std::string("/snapfuzz-XXXXXX");
    FUZZ_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    std::atexit([] { fs::remove_all(scratch()); });
    return fs::path(pattern);
  }();
  return dir;
}

void check_file_reader(std::string_view bytes) {
  const int fd = ::memfd_create("snapshot", 0);
  FUZZ_REQUIRE(fd >= 0);
  FUZZ_REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  std::vector<store::Frame> frames;
  bool verified = false;
  try {
    store::SnapshotReader reader("/proc/self/fd/" + std::to_string(fd));
    while (auto frame = reader.next()) frames.push_back(std::move(*frame));
    verified = true;
  } catch (const store::SnapshotError&) {
    // A damaged file is refused: what a receiver does with it.
  }
  ::close(fd);
  if (!verified) return;
  for (const store::Frame& f : frames) {
    if (f.kind != 'H' && f.kind != 'T' && f.kind != 'R') return;  // the writer makes only these
  }
  const fs::path copy = scratch() / "copy";
  {
    store::SnapshotWriter writer(copy);
    for (const store::Frame& f : frames) writer.frame(f.kind, f.values);
    writer.commit();
  }
  std::ifstream in(copy, std::ios::binary);
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  FUZZ_REQUIRE(written == bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_payload_decoders(input);
  check_file_reader(input);
  return 0;
}

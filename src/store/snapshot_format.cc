// The snapshot file format (see snapshot_format.h).
#include "store/snapshot_format.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>

#include "store/error.h"

namespace taskraft::store {
namespace {

constexpr std::string_view kMagic = "TRSNAP01";
constexpr std::uint32_t kNull = 0xFFFFFFFF;
constexpr std::uint32_t kMaxFrame = 256u << 20;

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint32_t get_u32(std::string_view in) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::string encode_frame(char kind, const FrameValues& values) {
  std::string payload;
  for (const auto& v : values) {
    put_u32(payload, v ? static_cast<std::uint32_t>(v->size()) : kNull);
    if (v) payload += *v;
  }
  assert(payload.size() <= kMaxFrame);
  std::string frame(1, kind);
  put_u32(frame, static_cast<std::uint32_t>(payload.size()));
  return frame + payload;
}

FrameValues decode_values(std::string_view payload) {
  FrameValues values;
  while (!payload.empty()) {
    if (payload.size() < 4) throw SnapshotError("snapshot: truncated value");
    std::uint32_t n = get_u32(payload);
    payload.remove_prefix(4);
    if (n == kNull) {
      values.emplace_back();
      continue;
    }
    if (n > payload.size()) throw SnapshotError("snapshot: value overruns its frame");
    values.emplace_back(std::string(payload.substr(0, n)));
    payload.remove_prefix(n);
  }
  return values;
}

[[noreturn]] void io_error(const std::string& what, const std::filesystem::path& path) {
  throw SnapshotError("snapshot: " + what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

SnapshotWriter::SnapshotWriter(const std::filesystem::path& path)
    : path_(path), tmp_(path.string() + ".tmp") {
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (!f_) io_error("cannot create", tmp_);
  write(std::string(kMagic));
}

SnapshotWriter::~SnapshotWriter() {
  if (!f_) return;
  std::fclose(f_);
  std::filesystem::remove(tmp_);
}

void SnapshotWriter::write(const std::string& bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size()) io_error("cannot write", tmp_);
  crc_.process_bytes(bytes.data(), bytes.size());
  bytes_ += bytes.size();
}

void SnapshotWriter::frame(char kind, const FrameValues& values) {
  assert(kind == 'H' || kind == 'T' || kind == 'R');
  if (kind == 'R') ++rows_;
  write(encode_frame(kind, values));
}

std::uint32_t SnapshotWriter::commit() {
  std::uint32_t crc = crc_.checksum();
  write(encode_frame('E', {std::to_string(rows_), std::to_string(crc)}));
  if (std::fflush(f_) != 0 || ::fsync(::fileno(f_)) != 0) io_error("cannot sync", tmp_);
  std::fclose(f_);
  f_ = nullptr;
  std::filesystem::rename(tmp_, path_);
  return crc;
}

SnapshotReader::SnapshotReader(const std::filesystem::path& path) {
  f_ = std::fopen(path.c_str(), "rb");
  if (!f_) io_error("cannot open", path);
  struct stat st {};
  if (::fstat(::fileno(f_), &st) != 0) {
    const int error = errno;
    std::fclose(f_);
    errno = error;
    io_error("cannot stat", path);
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  try {
    if (read_exactly(kMagic.size()) != kMagic) throw SnapshotError("snapshot: not a taskraft snapshot file");
  } catch (...) {
    std::fclose(f_);  // no destructor runs for a constructor that throws
    throw;
  }
}

SnapshotReader::~SnapshotReader() {
  if (f_) std::fclose(f_);
}

std::string SnapshotReader::read_exactly(std::size_t n) {
  // Checked before allocating: a damaged length must not cost the memory it claims.
  if (n > size_ - bytes_) throw SnapshotError("snapshot: the file is truncated");
  std::string bytes(n, '\0');
  if (std::fread(bytes.data(), 1, n, f_) != n) throw SnapshotError("snapshot: the file is truncated");
  bytes_ += n;
  crc_.process_bytes(bytes.data(), n);
  return bytes;
}

std::optional<Frame> SnapshotReader::next() {
  if (done_) return std::nullopt;
  // The CRC covers everything before the end frame: take it before reading each frame.
  std::uint32_t crc_before = crc_.checksum();
  std::string head = read_exactly(5);
  std::uint32_t size = get_u32(std::string_view(head).substr(1));
  if (size > kMaxFrame) throw SnapshotError("snapshot: frame too large (corrupt file)");
  Frame frame{head[0], decode_values(read_exactly(size))};
  if (frame.kind == 'R') ++rows_;
  if (frame.kind != 'E') return frame;
  done_ = true;
  checksum_ = crc_before;
  bool ok = frame.values.size() == 2 && frame.values[0] == std::to_string(rows_) &&
            frame.values[1] == std::to_string(checksum_) && std::fgetc(f_) == EOF;
  if (!ok) throw SnapshotError("snapshot: checksum or row count mismatch (corrupt file)");
  return std::nullopt;
}

}  // namespace taskraft::store

// Implements segment_scan.h.
#include "wal/segment_scan.h"

#include <cstring>
#include <variant>

#include "wal/wal_error.h"

namespace taskraft::wal {
namespace {

// One past the last non-zero byte at or after `from`, or `from` when every byte from there on is
// zero. Word by word from the end: a preallocated segment is mostly zeros.
std::size_t end_of_data(std::string_view bytes, std::size_t from) {
  std::size_t end = bytes.size();
  while (end >= from + sizeof(std::uint64_t)) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + end - sizeof word, sizeof word);
    if (word != 0) break;
    end -= sizeof word;
  }
  while (end > from && bytes[end - 1] == '\0') --end;
  return end;
}

// The offset of the first intact record starting in [from, limit) that belongs to a batch other
// than `batch`, or nullopt. Intact records of `batch` itself are skipped whole. A record may
// extend past `limit` (its payload may end in zeros).
std::optional<std::uint64_t> later_batch_after(std::string_view bytes, std::size_t from, std::size_t limit,
                                               std::uint64_t batch) {
  for (std::size_t q = from; q < limit && q + kRecordHeaderSize <= bytes.size(); ++q) {
    ParsedRecord p = parse_record(bytes, q);
    if (p.status != ParseStatus::kOk) continue;
    if (p.record.batch != batch) return q;
    q += p.size - 1;
  }
  return std::nullopt;
}

}  // namespace

SegmentScan scan_segment(const std::filesystem::path& file, std::string_view bytes, bool last) {
  auto header = parse_segment_header(bytes);
  if (auto* problem = std::get_if<std::string>(&header)) throw WalError(file, 0, *problem);

  SegmentScan scan;
  scan.header = std::get<SegmentHeader>(header);
  std::uint64_t batch = scan.header.first_batch;
  std::size_t pos = kSegmentHeaderSize;
  std::size_t batch_start = pos;
  std::vector<ScannedRecord> unfinished;
  const char* problem = "batch unfinished at the end of the file";
  while (pos < bytes.size()) {
    ParsedRecord p = parse_record(bytes, pos);
    if (p.status != ParseStatus::kOk) {
      problem = p.problem;
      break;
    }
    if (p.record.batch != batch) {
      throw WalError(file, pos, "intact record of batch " + std::to_string(p.record.batch) +
                                    " where batch " + std::to_string(batch) + " was expected");
    }
    unfinished.push_back({p.record, pos});
    pos += p.size;
    if (p.record.batch_end) {
      scan.records.insert(scan.records.end(), unfinished.begin(), unfinished.end());
      unfinished.clear();
      ++batch;
      batch_start = pos;
    }
  }
  scan.valid_size = batch_start;
  scan.next_batch = batch;
  // No record starts at or after data_end: a record header's kind byte is never zero.
  std::size_t data_end = end_of_data(bytes, pos);
  if (pos == batch_start && data_end == pos) return scan;  // the end, or zeros after the last batch

  if (!last) {
    throw WalError(file, pos, std::string(problem) +
                                  " in a segment that is not the last one: damage, not a torn write");
  }
  if (batch == scan.header.first_batch) {
    throw WalError(file, pos, std::string(problem) +
                                  " in the segment's first batch, which is durable before the segment "
                                  "is named: damage, not a torn write");
  }
  if (auto later = later_batch_after(bytes, pos + 1, data_end, batch)) {
    throw WalError(file, pos, std::string(problem) + ", followed by an intact record of another batch at offset " +
                                  std::to_string(*later) + ": damage, not a torn write");
  }
  scan.torn_end = data_end;
  scan.torn = std::string(problem) + " at offset " + std::to_string(pos) + "; " +
              std::to_string(data_end - batch_start) + " bytes of unfinished batch " +
              std::to_string(batch) + " from offset " + std::to_string(batch_start);
  return scan;
}

}  // namespace taskraft::wal

// Writes the seed corpora of the fuzz targets, so that libFuzzer starts from real inputs made by
// the real encoders rather than from nothing: `make_seeds DIR` replaces DIR/<target>/ for each
// target with a few files (the build runs it into build-fuzz/seeds/; scripts/fuzz passes the
// folders to the targets as read-only corpora).
//
//   wire_messages_fuzz  one batch per message type with its typical fields, a mixed batch of all
//                       types and an empty batch (wire::encode_messages);
//   frame_stream_fuzz   the four handshake frames under the handshake limit, message and ping
//                       frames and a snapshot stream under the default 64 MiB limit (make_frame);
//   handshake_fuzz      a hello of each purpose, a challenge and a proof (handshake.h);
//   wal_segment_fuzz    a segment file written by the WAL's encoders (raw mode), and build-mode
//                       inputs of complete batches and of a torn last batch;
//   snapshot_stream_fuzz one payload of each snapshot stream message (snapshot_protocol.h) and two
//                       snapshot files written by SnapshotWriter.
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/snapshot_format.h"
#include "transport/frame.h"
#include "transport/handshake.h"
#include "transport/snapshot_protocol.h"
#include "wal/record.h"
#include "wal/segment.h"
#include "wire/raft_codec.h"

namespace {

namespace fs = std::filesystem;
namespace raft = taskraft::raft;
namespace transport = taskraft::transport;
using transport::FrameType;

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  std::ofstream out(dir / name, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
}

fs::path fresh_dir(const fs::path& root, const char* target) {
  const fs::path dir = root / target;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

raft::Message message_of_type(raft::MessageType type) {
  raft::Message m;
  m.type = type;
  m.from = 1;
  m.to = 2;
  m.term = 5;
  m.log_term = 4;
  m.index = 17;
  m.commit = 16;
  switch (type) {
    case raft::MessageType::kApp:
      m.entries = {{4, 18, raft::EntryType::kNormal, "create task"},
                   {5, 19, raft::EntryType::kConfChange, "add learner 4 at 127.0.0.14:7000"}};
      m.takes_relay = true;
      break;
    case raft::MessageType::kProp: m.entries = {{0, 900, raft::EntryType::kNormal, "create task"}}; break;
    case raft::MessageType::kPropResp: m.reject_hint = 900; break;
    case raft::MessageType::kAppResp: m.reject = true; m.reject_hint = 12; break;
    case raft::MessageType::kSnap: m.snapshot = {16, 4, {{1, 2, 3}, {4}}}; break;
    case raft::MessageType::kReadIndex:
    case raft::MessageType::kReadIndexResp:
    case raft::MessageType::kHeartbeat:
    case raft::MessageType::kHeartbeatResp: m.context = "read-42"; break;
    case raft::MessageType::kVote:
    case raft::MessageType::kPreVote: m.transfer = type == raft::MessageType::kVote; break;
    default: break;
  }
  return m;
}

// A nonce or proof of one repeated byte: the seeds are the same on every build.
std::array<unsigned char, 32> filled(unsigned char byte) {
  std::array<unsigned char, 32> out;
  out.fill(byte);
  return out;
}

// A reader's limit as frame_stream_fuzz reads it (4 bytes, big-endian), then the frames.
std::string stream(std::uint32_t limit, const std::vector<std::string>& frames) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((limit >> shift) & 0xff));
  for (const auto& f : frames) out += f;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds DIR\n");
    return 2;
  }
  const fs::path root = argv[1];

  const fs::path wire_dir = fresh_dir(root, "wire_messages_fuzz");
  std::vector<raft::Message> all;
  for (int t = 0; t <= static_cast<int>(raft::MessageType::kPropResp); ++t) {
    const auto type = static_cast<raft::MessageType>(t);
    all.push_back(message_of_type(type));
    write(wire_dir, "batch-type-" + std::to_string(t), taskraft::wire::encode_messages({all.back()}));
  }
  write(wire_dir, "batch-all-types", taskraft::wire::encode_messages(all));
  write(wire_dir, "batch-empty", taskraft::wire::encode_messages({}));

  const transport::Hello hello{transport::Purpose::kMessages, 1, filled(0x11)};
  const transport::Hello snapshot_hello{transport::Purpose::kSnapshot, 3, filled(0x33)};
  const transport::Challenge challenge{2, filled(0x22), filled(0x5a)};
  const transport::Proof proof = filled(0xa5);

  const fs::path handshake_dir = fresh_dir(root, "handshake_fuzz");
  write(handshake_dir, "hello-messages", transport::encode_hello(hello));
  write(handshake_dir, "hello-snapshot", transport::encode_hello(snapshot_hello));
  write(handshake_dir, "challenge", transport::encode_challenge(challenge));
  write(handshake_dir, "proof", transport::encode_proof(proof));

  const fs::path frame_dir = fresh_dir(root, "frame_stream_fuzz");
  const std::vector<std::string> handshake = {
      transport::make_frame(FrameType::kHello, transport::encode_hello(hello)),
      transport::make_frame(FrameType::kChallenge, transport::encode_challenge(challenge)),
      transport::make_frame(FrameType::kProof, transport::encode_proof(proof)),
      transport::make_frame(FrameType::kWelcome, "")};
  write(frame_dir, "handshake", stream(transport::kMaxHandshakeFrameBytes, handshake));
  constexpr std::uint32_t kDefaultLimit = 64u << 20;  // TransportOptions::max_frame_bytes
  write(frame_dir, "messages",
        stream(kDefaultLimit, {transport::make_frame(FrameType::kMessages, taskraft::wire::encode_messages(all)),
                               transport::make_frame(FrameType::kPing, ""),
                               transport::make_frame(FrameType::kMessages,
                                                     taskraft::wire::encode_messages({all[4]}))}));
  write(frame_dir, "snapshot",
        stream(kDefaultLimit, {transport::make_frame(FrameType::kSnapshotBegin, std::string(8, '\0') +
                                                     taskraft::wire::encode_messages({all[8]})),
                               transport::make_frame(FrameType::kSnapshotChunk, std::string(200, 'r')),
                               transport::make_frame(FrameType::kSnapshotAck, std::string(7, '\0') + "\310"),
                               transport::make_frame(FrameType::kSnapshotEnd, std::string(32, '\1')),
                               transport::make_frame(FrameType::kSnapshotDone, "\1")}));

  const fs::path wal_dir = fresh_dir(root, "wal_segment_fuzz");
  std::string segment = taskraft::wal::encode_segment_header(taskraft::wal::SegmentHeader{1, 1, 1});
  const std::string entry = taskraft::wire::encode_entry(raft::Entry{1, 1, raft::EntryType::kNormal, "task"});
  taskraft::wal::append_record(segment, {taskraft::wal::RecordKind::kEntry, 1, false, entry});
  taskraft::wal::append_record(segment, {taskraft::wal::RecordKind::kHardState, 1, true,
                                         taskraft::wire::encode_hard_state(raft::HardState{1, 1, 1})});
  taskraft::wal::append_record(segment, {taskraft::wal::RecordKind::kEntry, 2, true, entry});
  write(wal_dir, "raw-segment", "\x01" + segment + std::string(64, '\0'));
  // Build mode, last segment: first batch 1, records "kind|batch-end, length, payload", leftovers.
  write(wal_dir, "built-complete", std::string("\x03\x00\x01\x05" "entry" "\x82\x03" "abc" "\x81\x00", 16) + "leftover");
  write(wal_dir, "built-torn", std::string("\x03\x00\x81\x05" "entry" "\x01\x03" "abc", 14) + "left");

  const fs::path snapshot_dir = fresh_dir(root, "snapshot_stream_fuzz");
  write(snapshot_dir, "begin", transport::encode_snapshot_begin({4096, all[static_cast<int>(raft::MessageType::kSnap)]}));
  write(snapshot_dir, "ack", transport::encode_snapshot_ack(200));
  write(snapshot_dir, "end", transport::encode_snapshot_end(filled(0x5e)));
  write(snapshot_dir, "done", transport::encode_snapshot_done(true));
  {
    taskraft::store::SnapshotWriter empty(snapshot_dir / "file-empty");
    empty.frame('H', {"2", "0", "0"});
    empty.commit();
    taskraft::store::SnapshotWriter tasks(snapshot_dir / "file-tasks");
    tasks.frame('H', {"2", "17", "4"});
    tasks.frame('T', {"tasks", "nbb", "id", "title", "project"});
    tasks.row({"1", "write the fuzz target", std::nullopt});
    tasks.row({"2", "t\xC3\xA4sk with \0 and 'quotes'", "infra"});
    tasks.commit();
  }
  return 0;
}

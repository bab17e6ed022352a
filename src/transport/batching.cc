// Implements batching.h: encode the whole batch; if it is over the limit, split it in halves.
#include "transport/batching.h"

#include <cassert>
#include <span>

#include "transport/frame.h"
#include "wire/raft_codec.h"

namespace taskraft::transport {
namespace {

void add_frames(std::span<const raft::Message> msgs, std::size_t max_frame_bytes, Batches& out) {
  if (msgs.empty()) return;
  const std::vector<raft::Message> group(msgs.begin(), msgs.end());
  std::string payload = wire::encode_messages(group);
  if (payload.size() + 1 <= max_frame_bytes) {
    out.frames.push_back({make_frame(FrameType::kMessages, payload), msgs.size()});
    return;
  }
  if (msgs.size() == 1) {
    ++out.too_large;
    return;
  }
  const auto half = msgs.size() / 2;
  add_frames(msgs.first(half), max_frame_bytes, out);
  add_frames(msgs.subspan(half), max_frame_bytes, out);
}

}  // namespace

Batches batch_into_frames(const std::vector<raft::Message>& msgs, std::size_t max_frame_bytes) {
  Batches out;
  add_frames(msgs, max_frame_bytes, out);
  std::size_t carried = out.too_large;
  for (const auto& f : out.frames) carried += f.messages;
  assert(carried == msgs.size());
  return out;
}

}  // namespace taskraft::transport

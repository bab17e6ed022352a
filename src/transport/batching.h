// Turning the messages for one peer into frames: as few frames as possible, none over the limit.
//
// Guarantees: the frames hold the given messages in their original order, each message exactly
// once, except a message that alone does not fit in a frame, which is left out and counted in
// `too_large` (the peer could never accept it; Raft will find another way, e.g. a snapshot).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "raft/types.h"

namespace taskraft::transport {

struct EncodedFrame {
  std::string bytes;         // a whole kMessages frame
  std::size_t messages = 0;  // how many messages it carries
};

struct Batches {
  std::vector<EncodedFrame> frames;
  std::size_t too_large = 0;
};

Batches batch_into_frames(const std::vector<raft::Message>& msgs, std::size_t max_frame_bytes);

}  // namespace taskraft::transport

// ReadIndex requests and their confirming heartbeat rounds; see read_only.h.
#include "raft/read_only.h"

#include <algorithm>
#include <cassert>

#include "raft/quorum.h"

namespace taskraft::raft {

std::string ReadOnly::encode(std::uint64_t id) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((id >> (8 * i)) & 0xff);
  return out;
}

std::string ReadOnly::start_round(Index index, NodeId self) {
  assert(!waiting_.empty());
  assert(rounds_.empty() || rounds_.back().index <= index);
  Round round{next_id_++, index, std::move(waiting_), {self}};
  waiting_.clear();
  rounds_.push_back(std::move(round));
  return encode(rounds_.back().id);
}

std::string ReadOnly::latest_context() const {
  return rounds_.empty() ? std::string() : encode(rounds_.back().id);
}

bool ReadOnly::confirmed(const Round& round, const std::vector<NodeId>& voters) {
  return has_quorum(voters, [&](NodeId v) {
    return std::find(round.acks.begin(), round.acks.end(), v) != round.acks.end();
  });
}

std::vector<ConfirmedRead> ReadOnly::ack(const std::string& context, NodeId from,
                                         const std::vector<NodeId>& voters) {
  const auto it = std::find_if(rounds_.begin(), rounds_.end(),
                               [&](const Round& r) { return encode(r.id) == context; });
  if (it == rounds_.end()) return {};
  if (std::find(it->acks.begin(), it->acks.end(), from) == it->acks.end()) it->acks.push_back(from);
  return confirmed(*it, voters) ? confirm_through(it->id) : std::vector<ConfirmedRead>{};
}

std::vector<ConfirmedRead> ReadOnly::recheck(const std::vector<NodeId>& voters) {
  for (auto it = rounds_.rbegin(); it != rounds_.rend(); ++it) {
    if (confirmed(*it, voters)) return confirm_through(it->id);
  }
  return {};
}

std::vector<ConfirmedRead> ReadOnly::confirm_through(std::uint64_t id) {
  std::vector<ConfirmedRead> out;
  while (!rounds_.empty() && rounds_.front().id <= id) {
    for (ReadRequest& r : rounds_.front().requests) out.push_back({rounds_.front().index, std::move(r)});
    rounds_.pop_front();
  }
  return out;
}

std::vector<ReadRequest> ReadOnly::take_all() {
  std::vector<ReadRequest> out;
  for (Round& round : rounds_) {
    for (ReadRequest& r : round.requests) out.push_back(std::move(r));
  }
  for (ReadRequest& r : waiting_) out.push_back(std::move(r));
  rounds_.clear();
  waiting_.clear();
  return out;
}

}  // namespace taskraft::raft

// Membership change rules and encoding; see conf_change.h.
#include "raft/conf_change.h"

#include <algorithm>
#include <cassert>
#include <cstdint>

namespace taskraft::raft {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeader = 1 + 1 + 8 + 4;

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(std::string_view in, std::size_t pos, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
  }
  return v;
}

bool contains(const std::vector<NodeId>& sorted, NodeId id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}

void insert_sorted(std::vector<NodeId>& sorted, NodeId id) {
  sorted.insert(std::lower_bound(sorted.begin(), sorted.end(), id), id);
}

void erase(std::vector<NodeId>& sorted, NodeId id) {
  sorted.erase(std::remove(sorted.begin(), sorted.end(), id), sorted.end());
}

}  // namespace

std::string encode_conf_change(const ConfChange& cc) {
  std::string out;
  out.reserve(kHeader + cc.context.size());
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(cc.type));
  put_le(out, cc.node, 8);
  put_le(out, cc.context.size(), 4);
  out.append(cc.context);
  return out;
}

std::optional<ConfChange> decode_conf_change(std::string_view bytes) {
  if (bytes.size() < kHeader || static_cast<std::uint8_t>(bytes[0]) != kVersion) return std::nullopt;
  const auto type = static_cast<std::uint8_t>(bytes[1]);
  if (type > static_cast<std::uint8_t>(ConfChangeType::kRemoveNode)) return std::nullopt;
  const std::uint64_t length = get_le(bytes, 10, 4);
  if (bytes.size() - kHeader != length) return std::nullopt;
  return ConfChange{static_cast<ConfChangeType>(type), get_le(bytes, 2, 8),
                    std::string(bytes.substr(kHeader))};
}

bool is_voter(const ConfState& conf, NodeId id) { return contains(conf.voters, id); }
bool is_learner(const ConfState& conf, NodeId id) { return contains(conf.learners, id); }
bool is_member(const ConfState& conf, NodeId id) { return is_voter(conf, id) || is_learner(conf, id); }

Error validate_conf_change(const ConfState& conf, const ConfChange& cc) {
  if (cc.node == kNoNode) return Error::kInvalidConfChange;
  switch (cc.type) {
    case ConfChangeType::kAddLearner:
      return is_member(conf, cc.node) ? Error::kInvalidConfChange : Error::kOk;
    case ConfChangeType::kPromoteLearner:
      return is_learner(conf, cc.node) ? Error::kOk : Error::kInvalidConfChange;
    case ConfChangeType::kRemoveNode:
      if (!is_member(conf, cc.node)) return Error::kUnknownNode;
      if (is_voter(conf, cc.node) && conf.voters.size() == 1) return Error::kInvalidConfChange;
      return Error::kOk;
  }
  return Error::kInvalidConfChange;
}

ConfState apply_to(const ConfState& conf, const ConfChange& cc) {
  assert(validate_conf_change(conf, cc) == Error::kOk);
  ConfState next = conf;
  switch (cc.type) {
    case ConfChangeType::kAddLearner:
      insert_sorted(next.learners, cc.node);
      break;
    case ConfChangeType::kPromoteLearner:
      erase(next.learners, cc.node);
      insert_sorted(next.voters, cc.node);
      break;
    case ConfChangeType::kRemoveNode:
      erase(next.learners, cc.node);
      erase(next.voters, cc.node);
      break;
  }
  return next;
}

}  // namespace taskraft::raft

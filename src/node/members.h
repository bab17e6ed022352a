// The addresses of every cluster member this node knows of, kept durable in the data dir.
//
// Raft's configuration (raft::ConfState) says who votes and who learns; this directory says
// where each of them listens for peers and for HTTP. It is filled from --initial-cluster at
// bootstrap, from the context of each applied membership change, and from an installed snapshot,
// and it is saved (write to a temporary file, fsync, rename) before the change it records takes
// effect, so that a restarted node can always reach its peers even while its MySQL is down.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "node/config.h"
#include "raft/types.h"

namespace taskraft::node {

class Members {
 public:
  using Map = std::map<raft::NodeId, MemberAddrs>;

  Members() = default;
  explicit Members(Map m) : members_(std::move(m)) {}

  const Map& all() const { return members_; }
  const MemberAddrs* find(raft::NodeId id) const;
  void set(raft::NodeId id, MemberAddrs addrs) { members_[id] = std::move(addrs); }
  void erase(raft::NodeId id) { members_.erase(id); }

  // JSON {"<id>": {"peer_addr": "...", "http_addr": "..."}, ...}: the file format, and the
  // opaque membership string the store keeps with its snapshot.
  std::string to_json() const;
  static std::optional<Members> from_json(const std::string& text);

  void save(const std::filesystem::path& file) const;
  // nullopt when the file does not exist; throws std::runtime_error when it is unreadable.
  static std::optional<Members> load(const std::filesystem::path& file);

 private:
  Map members_;
};

// The context of an "add member" conf change: the new member's addresses.
std::string encode_member_context(const MemberAddrs& a);
std::optional<MemberAddrs> decode_member_context(const std::string& context);

}  // namespace taskraft::node

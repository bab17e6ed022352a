// Which cluster and which node a data dir belongs to, recorded at first start.
//
// Guarantees: once written, a data dir is only ever used by the node id and cluster it was
// created for; starting it with another --id fails with a line that says what the dir holds.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "raft/types.h"

namespace taskraft::node {

struct Identity {
  std::string cluster_id;
  raft::NodeId node_id = raft::kNoNode;
};

std::optional<Identity> load_identity(const std::filesystem::path& data_dir);
void save_identity(const std::filesystem::path& data_dir, const Identity& id);

// A cluster id every initial member computes alike from the --initial-cluster members' ids and
// peer addresses (16 hex digits).
std::string derive_cluster_id(const std::string& canonical_members);

}  // namespace taskraft::node

// Implements state_pairing.h.
#include "node/state_pairing.h"

namespace taskraft::node {

std::optional<std::string> pairing_problem(bool fresh_data_dir, raft::Index db_applied, raft::Index log_start) {
  const std::string way_out =
      "; replace the node with an empty data dir and an empty database (docs/operations.md, "
      "\"Replacing a dead node\")";
  if (fresh_data_dir && db_applied > 0) {
    return "the database has applied the log up to index " + std::to_string(db_applied) +
           " but the data dir is new: the database belongs to another node or to an earlier life "
           "of this one, and a new node needs an empty database" + way_out;
  }
  if (!fresh_data_dir && db_applied < log_start) {
    return "the database has applied the log up to index " + std::to_string(db_applied) +
           " but this node's log was compacted up to index " + std::to_string(log_start) +
           ": the database lost committed transactions (restored from an older copy, a new volume, "
           "or innodb_flush_log_at_trx_commit other than 1 and a crash), and the entries it lacks "
           "are no longer in this node's log" + way_out;
  }
  return std::nullopt;
}

}  // namespace taskraft::node

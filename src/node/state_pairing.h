// Whether a node's database and its data dir (identity and WAL) belong together: checked once at
// start, before anything is applied.
//
// A node applies its log to MySQL and skips every entry at or below the database's
// applied_index, so a database that is not the one this data dir's log was applied to would be
// served silently wrong: entries taken as applied that never were, or entries needed that the log
// no longer has. Two such pairings can be seen from the indexes alone, and are refused:
// - a new data dir on a database that has applied entries (a wiped node whose database was kept,
//   or another node's database);
// - a database that has applied less than the log was compacted to (it lost committed
//   transactions: restored from an older copy, a new volume, or MySQL run with
//   innodb_flush_log_at_trx_commit other than 1 on a machine that crashed).
// Guarantees: returns a message saying which, with the indexes and the way out, or nothing when
// the two can belong together.
#pragma once

#include <optional>
#include <string>

#include "raft/types.h"

namespace taskraft::node {

// `fresh_data_dir`: the data dir had no identity yet. `db_applied`: the database's applied_index.
// `log_start`: the index the WAL's log was compacted to (its snapshot), 0 when never.
std::optional<std::string> pairing_problem(bool fresh_data_dir, raft::Index db_applied, raft::Index log_start);

}  // namespace taskraft::node

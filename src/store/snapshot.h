// Snapshots of the state machine: a consistent copy of every state table in one file.
//
// export_snapshot reads inside START TRANSACTION WITH CONSISTENT SNAPSHOT on a connection of its
// own, so apply goes on meanwhile and the file holds exactly the rows committed with the
// applied index it reports (the membership included: it is the members table). import_snapshot
// replaces every state table's rows in ONE transaction: a crash or a bad file leaves the database
// as it was; success leaves exactly the snapshot's rows, applied index, term and membership.
#pragma once

#include <cstdint>
#include <filesystem>

#include "store/dsn.h"
#include "store/membership.h"

namespace taskraft::store {

class Connection;

struct SnapshotInfo {
  AppliedState applied;
  int row_format = 0;  // kRowFormatVersion of the binary that wrote it (schema.h)
  std::uint32_t checksum = 0;  // CRC-32C of the file's content (see snapshot_format.h)
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
};

// Throws DbError (MySQL) or SnapshotError (the file could not be written).
SnapshotInfo export_snapshot(const Dsn& dsn, const std::filesystem::path& path);

// Loads `path` through `c` (which must not be in a transaction). Throws SnapshotError for a
// corrupt, truncated or other-schema-version file, DbError when MySQL fails; either way the
// database is unchanged.
SnapshotInfo import_snapshot(Connection& c, const std::filesystem::path& path);

}  // namespace taskraft::store

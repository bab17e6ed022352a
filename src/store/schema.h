// The store's MySQL schema: versioned migrations and the catalog of state-machine tables.
//
// Guarantees:
// - migrate() brings any database of an older schema version to kSchemaVersion, applying each
//   migration once (recorded in schema_migrations) under a named lock, so concurrent openers of
//   one database do not race. Running it again changes nothing. A database of a newer schema
//   version than this binary knows is refused (DbError) rather than used.
// - Every statement is valid on MariaDB 10.11 and MySQL 8. Keys and anything a uniqueness or
//   equality decision of apply depends on are byte strings (VARBINARY) or _bin collations, so
//   every node, on either server, decides them the same way.
// - kStateTables lists every table whose rows are the replicated state (all but
//   schema_migrations), each with the primary key that orders its rows: the snapshot and the
//   determinism checks walk exactly these.
#pragma once

#include <span>
#include <string_view>

#include "store/dsn.h"

namespace taskraft::store {

class Connection;

inline constexpr int kSchemaVersion = 2;
// The last schema version that changed a state table's columns (not only its indexes): what a
// snapshot's rows depend on, so it is what snapshots carry and check. Nodes whose schemas differ
// in indexes only (a rolling upgrade) still exchange snapshots.
inline constexpr int kRowFormatVersion = 1;

struct TableSpec {
  std::string_view name;
  std::string_view primary_key;  // column list, e.g. "task_id, version"
};

std::span<const TableSpec> state_tables();

// Creates dsn.database (utf8mb4) when it does not exist yet.
void create_database(const Dsn& dsn);

// Migrates the database `c` is connected to; returns the resulting version (kSchemaVersion).
int migrate(Connection& c);

}  // namespace taskraft::store

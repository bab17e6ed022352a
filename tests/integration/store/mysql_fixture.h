// The MySQL server of the store's integration tests, and a fresh database per test.
//
// The server is TASKRAFT_TEST_MYSQL when set; else the private MariaDB of
// TASKRAFT_TEST_MYSQL_DIR (shared by the test processes of one ctest run; started here when not
// running yet, stopped by ctest's cleanup fixture); else a private MariaDB in a temporary
// directory, started on a free port in 23061-23099 and stopped when the process ends.
#pragma once

#include <cstdint>
#include <string>

#include "store/dsn.h"

namespace taskraft::store::testing {

// The DSN of a database named after the running test (plus `suffix`), dropped first so that each
// test starts from nothing.
Dsn fresh_database(const std::string& suffix = "");

// Every row of every table but schema_migrations, as sorted text: equal dumps mean equal states.
std::string dump_state(const Dsn& dsn);
// FNV-1a of dump_state: the checksum the determinism tests compare.
std::uint64_t state_checksum(const Dsn& dsn);

// A statement run on a connection of its own (for test set-up and inspection).
void exec_sql(const Dsn& dsn, const std::string& sql);
std::int64_t query_number(const Dsn& dsn, const std::string& sql);

}  // namespace taskraft::store::testing

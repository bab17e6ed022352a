// Opening a store: the database is created, migrations run once and are recorded, data survives
// reopening, and a database from a newer binary is refused.
#include <gtest/gtest.h>

#include "mysql_fixture.h"
#include "store/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

TEST(Schema, OpeningCreatesTheDatabaseAndEveryTable) {
  Dsn dsn = fresh_database();
  Store store(dsn);
  EXPECT_EQ(store.applied(), AppliedState{});
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" +
                                  dsn.database + "'"),
            8);
  EXPECT_EQ(query_number(dsn, "SELECT MAX(version) FROM schema_migrations"), kSchemaVersion);
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = '" +
                                  dsn.database + "' AND table_name = 'tasks' AND index_type = 'FULLTEXT'"),
            2);  // one row per column of the (title, description) index
}

// A fresh database, migrated, holding task 1 titled `title` (applied at index 1).
Dsn database_with_one_task(const std::string& title) {
  Dsn dsn = fresh_database();
  Log log;
  log.add(create_task(title));
  Store store(dsn);
  store.apply(log.entries());
  return dsn;
}

TEST(Schema, MigrationsAreIdempotentAndKeepTheData) {
  Dsn dsn = database_with_one_task("survives");
  std::uint64_t before = state_checksum(dsn);
  for (int i = 0; i < 2; ++i) {
    Store again(dsn);
    EXPECT_EQ(again.applied().index, 1u);
    EXPECT_EQ(again.get_task(1)->title, "survives");
  }
  EXPECT_EQ(state_checksum(dsn), before);
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM schema_migrations"), kSchemaVersion);
}

TEST(Schema, VersionTwoAddsTheSortIndexesEvenAfterACrashHalfwayThrough) {
  Dsn dsn = database_with_one_task("kept");
  // As a crash would leave it: the first index of version 2 added, the second not, and the
  // migration not recorded.
  exec_sql(dsn, "ALTER TABLE tasks DROP INDEX tasks_status_id");
  exec_sql(dsn, "DELETE FROM schema_migrations WHERE version = 2");
  Store again(dsn);
  EXPECT_EQ(again.get_task(1)->title, "kept");
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics WHERE "
                              "table_schema = '" + dsn.database + "' AND table_name = 'tasks' AND "
                              "index_name IN ('tasks_priority_id', 'tasks_status_id')"),
            2);
  EXPECT_EQ(query_number(dsn, "SELECT MAX(version) FROM schema_migrations"), 2);
}

TEST(Schema, RefusesADatabaseOfANewerSchema) {
  Dsn dsn = fresh_database();
  { Store store(dsn); }
  exec_sql(dsn, "INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')");
  EXPECT_THROW(Store{dsn}, DbError);
}

TEST(Schema, AnUnreachableServerIsADbError) {
  Dsn dsn = fresh_database();
  dsn.port = 1;  // nothing listens there
  dsn.host = "127.0.0.1";
  dsn.socket.clear();
  EXPECT_THROW(Store{dsn}, DbError);
}

}  // namespace
}  // namespace taskraft::store::testing

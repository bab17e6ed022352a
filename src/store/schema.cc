// Schema migrations (see schema.h; docs/schema.md describes every table and index).
#include "store/schema.h"

#include <array>
#include <string>
#include <vector>

#include "store/connection.h"
#include "store/error.h"

namespace taskraft::store {
namespace {

// An index a migration adds to an existing table: created unless information_schema already
// shows it, so a crash before the migration is recorded is safe (MySQL 8 has no
// ADD INDEX IF NOT EXISTS).
struct NewIndex {
  std::string_view table;
  std::string_view name;
  std::string_view columns;
};

struct Migration {
  int version;
  std::string_view name;
  std::vector<std::string_view> statements;  // each one idempotent: a crash between them is safe
  std::vector<NewIndex> indexes = {};        // added after the statements
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1,
       "initial schema",
       {
           R"sql(CREATE TABLE IF NOT EXISTS meta (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  applied_index BIGINT UNSIGNED NOT NULL,
  applied_term BIGINT UNSIGNED NOT NULL,
  next_task_id BIGINT UNSIGNED NOT NULL,
  log_clock_ms BIGINT NOT NULL,
  member_addresses MEDIUMBLOB NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)sql",
           "INSERT IGNORE INTO meta (id, applied_index, applied_term, next_task_id, log_clock_ms, "
           "member_addresses) VALUES (1, 0, 0, 1, 0, '')",
           R"sql(CREATE TABLE IF NOT EXISTS members (
  node_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  voter TINYINT UNSIGNED NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)sql",
           R"sql(CREATE TABLE IF NOT EXISTS tasks (
  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  title VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  description TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  status TINYINT UNSIGNED NOT NULL,
  priority TINYINT UNSIGNED NOT NULL,
  due_at_ms BIGINT NOT NULL,
  assignee VARCHAR(64) NULL,
  project VARCHAR(100) NULL,
  created_by VARCHAR(64) NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  version BIGINT UNSIGNED NOT NULL,
  KEY tasks_updated (updated_at_ms, id),
  KEY tasks_created (created_at_ms, id),
  KEY tasks_due (due_at_ms, id),
  KEY tasks_title (title, id),
  KEY tasks_status (status, updated_at_ms, id),
  KEY tasks_priority (priority, updated_at_ms, id),
  KEY tasks_assignee (assignee, updated_at_ms, id),
  KEY tasks_project (project, updated_at_ms, id),
  FULLTEXT KEY tasks_text (title, description)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)sql",
           R"sql(CREATE TABLE IF NOT EXISTS task_tags (
  task_id BIGINT UNSIGNED NOT NULL,
  position TINYINT UNSIGNED NOT NULL,
  tag VARBINARY(160) NOT NULL,
  PRIMARY KEY (task_id, position),
  UNIQUE KEY task_tags_tag (tag, task_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)sql",
           R"sql(CREATE TABLE IF NOT EXISTS task_history (
  task_id BIGINT UNSIGNED NOT NULL,
  version BIGINT UNSIGNED NOT NULL,
  raft_index BIGINT UNSIGNED NOT NULL,
  raft_term BIGINT UNSIGNED NOT NULL,
  at_ms BIGINT NOT NULL,
  actor VARCHAR(64) NOT NULL,
  op VARCHAR(16) NOT NULL,
  changes MEDIUMBLOB NOT NULL,
  PRIMARY KEY (task_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)sql",
           R"sql(CREATE TABLE IF NOT EXISTS users (
  username VARBINARY(256) NOT NULL PRIMARY KEY,
  password_hash VARBINARY(255) NOT NULL,
  role TINYINT UNSIGNED NOT NULL,
  created_at_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)sql",
           R"sql(CREATE TABLE IF NOT EXISTS idempotency (
  actor VARBINARY(256) NOT NULL,
  idem_key VARBINARY(64) NOT NULL,
  request_hash VARBINARY(64) NOT NULL,
  http_status SMALLINT UNSIGNED NOT NULL,
  content_type VARBINARY(64) NOT NULL,
  body MEDIUMBLOB NOT NULL,
  at_ms BIGINT NOT NULL,
  raft_index BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (actor, idem_key),
  KEY idempotency_at (at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)sql",
       }},
      {2,
       "indexes for sort=priority and sort=status",
       {},
       {{"tasks", "tasks_priority_id", "priority, id"}, {"tasks", "tasks_status_id", "status, id"}}},
  };
  return all;
}

void add_index(Connection& c, const NewIndex& index) {
  auto r = c.query("SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
                   "table_name = " + c.quote(index.table) + " AND index_name = " + c.quote(index.name));
  if (r.next()->i64(0) > 0) return;
  c.exec("ALTER TABLE " + std::string(index.table) + " ADD INDEX " + std::string(index.name) + " (" +
         std::string(index.columns) + ")");
}

constexpr std::array<TableSpec, 7> kStateTables = {{
    {"meta", "id"},
    {"members", "node_id"},
    {"tasks", "id"},
    {"task_tags", "task_id, position"},
    {"task_history", "task_id, version"},
    {"users", "username"},
    {"idempotency", "actor, idem_key"},
}};

// Holds a server-wide named lock for the life of the object (per database name).
class MigrationLock {
 public:
  explicit MigrationLock(Connection& c) : c_(c), name_(c.quote("taskraft_migrate." + c.dsn().database)) {
    auto r = c_.query("SELECT GET_LOCK(" + name_ + ", 60)");
    auto row = r.next();
    if (!row || row->null(0) || row->i64(0) != 1) throw DbError(0, "timed out waiting for the migration lock");
  }
  ~MigrationLock() {
    try {
      c_.query("SELECT RELEASE_LOCK(" + name_ + ")");
    } catch (const DbError&) {
      // The lock dies with the session.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Connection& c_;
  std::string name_;
};

}  // namespace

std::span<const TableSpec> state_tables() { return kStateTables; }

void create_database(const Dsn& dsn) {
  Connection server(dsn, /*use_database=*/false);
  server.exec("CREATE DATABASE IF NOT EXISTS " + Connection::quote_name(dsn.database) +
              " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
}

int migrate(Connection& c) {
  MigrationLock lock(c);
  c.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "
      "name VARCHAR(200) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
  int current = 0;
  {
    auto r = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    current = static_cast<int>(r.next()->i64(0));
  }
  if (current > kSchemaVersion) {
    throw DbError(0, "database " + c.dsn().database + " has schema version " + std::to_string(current) +
                         ", newer than this binary's " + std::to_string(kSchemaVersion));
  }
  for (const Migration& m : migrations()) {
    if (m.version <= current) continue;
    for (std::string_view statement : m.statements) c.exec(statement);
    for (const NewIndex& index : m.indexes) add_index(c, index);
    c.exec("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(m.version) + ", " +
           c.quote(m.name) + ")");
    current = m.version;
  }
  return current;
}

}  // namespace taskraft::store

// The baseline of `taskraft bench --baseline-mysql DSN`: the rows a task create stores, inserted
// into a single plain MariaDB (or MySQL) server, with no Raft, no WAL and no HTTP in between.
//
// Guarantees:
// - The database is the DSN's own (taskraft_bench when the DSN names none); it gets the state
//   machine's schema (store/schema.h, so the tasks table has the very columns and indexes the
//   cluster's nodes write) and its tasks table is emptied before the run. A database that a
//   taskraftd node has applied entries to (meta.applied_index > 0) is refused, never emptied.
// - Each worker has its own connection and inserts bench_task.h's row through the state
//   machine's own statement (store::insert_task): with batch 1 one autocommit INSERT per
//   operation, with batch K one transaction holding one K-row INSERT, as the state machine
//   sends the rows of one apply batch (K units). Ids come from one shared
//   counter, like the state machine's own.
// - A failed statement is an error "mysql <code>" (the runner counts it); the next operation
//   reconnects if the connection was lost.
#pragma once

#include <memory>
#include <string>

#include "cli/bench_worker.h"
#include "store/dsn.h"

namespace taskraft::cli {

struct MysqlBaseline;

class MysqlWorkerSet {
 public:
  // Prepares the database (throws UsageError for a refused one, store::DbError when unreachable).
  MysqlWorkerSet(store::Dsn dsn, std::size_t payload, unsigned batch);
  ~MysqlWorkerSet();
  std::unique_ptr<Worker> make(unsigned index);

 private:
  std::unique_ptr<MysqlBaseline> shared_;
};

// The DSN of `text` with database taskraft_bench when it names none; nullopt when malformed.
std::optional<store::Dsn> baseline_dsn(std::string_view text);

}  // namespace taskraft::cli

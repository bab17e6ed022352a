// The read queries of the API, on a MySQL connection of their own.
//
// Thread-safety: a Reader may be shared between threads; its calls are serialized by an internal
// mutex on its one connection. For reads in parallel, give each thread its own Reader (they are
// cheap: one connection each). Reads never block or are blocked by apply (InnoDB MVCC).
// Guarantees: every call reads one consistent state (one statement, or one transaction WITH
// CONSISTENT SNAPSHOT), never a half-applied batch. After a lost connection a call reconnects
// and retries once.
#pragma once

#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "store/connection.h"
#include "store/history_item.h"
#include "store/task.h"
#include "store/task_query.h"
#include "store/user.h"

namespace taskraft::store {

class Reader {
 public:
  // The database must exist and be migrated (a Store opened on it does that).
  explicit Reader(const Dsn& dsn);

  std::optional<Task> get_task(TaskId id);
  TaskPage list_tasks(const TaskQuery& query);
  // The history by version, the delete included; nullopt when the id never existed.
  std::optional<std::vector<HistoryItem>> task_history(TaskId id);
  std::optional<User> get_user(std::string_view username);  // with hash and role
  std::vector<User> list_users();                           // by username

 private:
  // kOne: `fn` runs a single statement, which InnoDB already reads from one snapshot, so it
  // needs no transaction around it (a get: one round trip instead of four).
  enum class Statements { kOne, kSeveral };
  template <typename Fn>
  auto read(Fn fn, Statements statements = Statements::kSeveral);

  std::mutex mu_;
  Connection c_;
};

}  // namespace taskraft::store

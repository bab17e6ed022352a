// Read queries (see reader.h).
#include "store/reader.h"

#include "store/error.h"
#include "store/history.h"
#include "store/task_rows.h"
#include "store/user_rows.h"

namespace taskraft::store {

Reader::Reader(const Dsn& dsn) : c_(dsn) {}

template <typename Fn>
auto Reader::read(Fn fn, Statements statements) {
  std::lock_guard lock(mu_);
  for (int attempt = 0;; ++attempt) {
    try {
      if (statements == Statements::kOne) return fn();  // one statement reads one state by itself
      Transaction tx(c_, Transaction::Kind::kConsistentSnapshot);
      auto result = fn();
      tx.commit();
      return result;
    } catch (const DbError&) {
      if (attempt > 0 || !c_.broken()) throw;
    }
  }
}

std::optional<Task> Reader::get_task(TaskId id) {
  return read([&] { return load_task(c_, id); }, Statements::kOne);
}

TaskPage Reader::list_tasks(const TaskQuery& query) {
  return read([&] { return store::list_tasks(c_, query); }, Statements::kOne);
}

std::optional<std::vector<HistoryItem>> Reader::task_history(TaskId id) {
  return read([&]() -> std::optional<std::vector<HistoryItem>> {
    auto items = load_history(c_, id);
    if (items.empty()) return std::nullopt;
    return items;
  }, Statements::kOne);
}

std::optional<User> Reader::get_user(std::string_view username) {
  return read([&] { return load_user(c_, username); }, Statements::kOne);
}

std::vector<User> Reader::list_users() {
  return read([&] { return load_users(c_); }, Statements::kOne);
}

}  // namespace taskraft::store

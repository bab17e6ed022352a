// User rows (see user_rows.h).
#include "store/user_rows.h"

#include <string>

#include "store/connection.h"
#include "store/error.h"

namespace taskraft::store {
namespace {

std::vector<User> select_users(Connection& c, const std::string& clause) {
  std::vector<User> users;
  auto r = c.query("SELECT username, password_hash, role, created_at_ms FROM users " + clause);
  while (auto row = r.next()) {
    auto role = role_from_number(row->i64(2));
    if (!role) throw DbError(0, "user " + row->str(0) + " has a bad role");
    users.push_back({row->str(0), row->str(1), *role, row->i64(3)});
  }
  return users;
}

}  // namespace

std::optional<User> load_user(Connection& c, std::string_view username) {
  auto users = select_users(c, "WHERE username = " + Connection::quote_bytes(username));
  if (users.empty()) return std::nullopt;
  return std::move(users.front());
}

std::vector<User> load_users(Connection& c) { return select_users(c, "ORDER BY username"); }

void insert_user(Connection& c, const User& u) {
  c.exec("INSERT INTO users (username, password_hash, role, created_at_ms) VALUES (" +
         Connection::quote_bytes(u.username) + ", " + Connection::quote_bytes(u.password_hash) + ", " +
         std::to_string(static_cast<int>(u.role)) + ", " + std::to_string(u.created_at_ms) + ")");
}

}  // namespace taskraft::store

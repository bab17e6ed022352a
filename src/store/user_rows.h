// Users as rows of the users table.
//
// Guarantees: usernames are compared as bytes (VARBINARY primary key), identically on MariaDB and
// MySQL; a User written by insert_user reads back equal.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "store/user.h"

namespace taskraft::store {

class Connection;

std::optional<User> load_user(Connection& c, std::string_view username);
std::vector<User> load_users(Connection& c);  // ordered by username (bytewise)
void insert_user(Connection& c, const User& u);

}  // namespace taskraft::store

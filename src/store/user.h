// A user account as the state machine holds it: name, password hash (computed by the leader,
// never by the store) and role.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskraft::store {

enum class Role : std::uint8_t { kAdmin = 1, kMember = 2 };  // numbers as in MySQL and the proto

const char* to_string(Role r);
std::optional<Role> parse_role(std::string_view name);  // "admin", "member"
std::optional<Role> role_from_number(std::int64_t n);

struct User {
  std::string username;
  std::string password_hash;
  Role role = Role::kMember;
  std::int64_t created_at_ms = 0;

  friend bool operator==(const User&, const User&) = default;
};

}  // namespace taskraft::store

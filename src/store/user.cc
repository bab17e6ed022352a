// Role names and numbers (see user.h).
#include "store/user.h"

#include <cassert>

namespace taskraft::store {

const char* to_string(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kMember: return "member";
  }
  assert(false && "unknown role");
  return "";
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "member") return Role::kMember;
  return std::nullopt;
}

std::optional<Role> role_from_number(std::int64_t n) {
  if (n == 1) return Role::kAdmin;
  if (n == 2) return Role::kMember;
  return std::nullopt;
}

}  // namespace taskraft::store

// The bodies of POST /v1/auth/login and POST /v1/users, checked before anything is looked up,
// hashed or proposed.
//
// Guarantees: a value is returned only when every member has the right type and valid UTF-8, the
// username follows store/rules.h and the password is 1-1024 characters; else 400 (malformed
// JSON) or 422 naming each bad field. A new user's role defaults to "member".
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "store/problem.h"
#include "store/user.h"

namespace taskraft::api {

inline constexpr std::size_t kMaxPassword = 1024;

struct Credentials {
  std::string username;
  std::string password;
};

struct NewUser {
  std::string username;
  std::string password;
  store::Role role = store::Role::kMember;
};

std::variant<Credentials, store::Problem> login_body(std::string_view body);
std::variant<NewUser, store::Problem> new_user_body(std::string_view body);

}  // namespace taskraft::api

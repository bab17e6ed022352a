// Login and new-user bodies (see account_input.h).
#include "api/account_input.h"

#include "api/json_fields.h"
#include "store/rules.h"

namespace taskraft::api {
namespace {

std::optional<std::string> read_username(JsonFields& f) {
  f.require("username");
  return f.string("username");
}

std::string read_password(JsonFields& f) {
  f.require("password");
  auto password = f.string("password");
  if (password && (password->empty() || *store::utf8_length(*password) > kMaxPassword)) {
    f.error("password", "must be 1 to 1024 characters");
  }
  return password.value_or("");
}

}  // namespace

std::variant<Credentials, store::Problem> login_body(std::string_view body) {
  return read_body(body, [](JsonFields& f) {
    f.check_names({"username", "password"});
    std::string username = read_username(f).value_or("");
    return Credentials{std::move(username), read_password(f)};
  });
}

std::variant<NewUser, store::Problem> new_user_body(std::string_view body) {
  return read_body(body, [](JsonFields& f) {
    f.check_names({"username", "password", "role"});
    NewUser u;
    if (auto username = read_username(f)) {
      // The hash is the leader's business: a stand-in keeps its rule quiet.
      for (store::FieldError& e : store::check_user(*username, "-")) f.error(e.field, std::move(e.message));
      u.username = std::move(*username);
    }
    u.password = read_password(f);
    if (auto role = f.string("role")) {
      if (auto parsed = store::parse_role(*role)) {
        u.role = *parsed;
      } else {
        f.error("role", "must be one of admin, member");
      }
    }
    return u;
  });
}

}  // namespace taskraft::api

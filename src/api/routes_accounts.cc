// The account routes of API.md: POST /v1/auth/login, POST /v1/users, GET /v1/users.
//
// Guarantees:
// - Login reads the user after a linearizable barrier (a user created a moment ago on another
//   node can log in here), verifies the argon2id hash on a query thread, and answers 401 alike
//   for an unknown user and a wrong password, after the same work (no username probing by timing).
// - A new user's password is hashed by the node the client reached, on a query thread, and only
//   the hash is proposed; the password itself never enters the log.
#include <boost/json.hpp>

#include "api/account_input.h"
#include "api/call.h"
#include "api/context.h"
#include "api/password.h"
#include "api/pipeline.h"
#include "api/problems.h"
#include "api/query_pool.h"
#include "api/read_path.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/token.h"
#include "api/write_path.h"
#include "command.pb.h"
#include "store/reader.h"
#include "store/task_json.h"
#include "store/time_format.h"

namespace taskraft::api {
namespace {

Response login_answer(const Context& ctx, const store::User& user) {
  std::int64_t expires = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(ctx.limits.token_ttl).count();
  boost::json::object o;
  o["token"] = sign_token(ctx.key, {user.username, user.role, expires});
  o["expires_at"] = store::format_rfc3339(expires);
  o["user"] = store::user_json(user);
  return json_response(200, boost::json::serialize(o));
}

void login(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto credentials = take(call, login_body(call->request().body));
  if (!credentials) return;
  read(ctx, call, ReadLevel{}, [&ctx, c = std::move(*credentials)](store::Reader& reader) {
    auto user = reader.get_user(c.username);
    if (!user) waste_password_check(c.password);
    if (!user || !verify_password(user->password_hash, c.password)) {
      return problem_response(problems::unauthorized("wrong username or password"));
    }
    return login_answer(ctx, *user);
  });
}

void create_user(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto user = take(call, new_user_body(call->request().body));
  if (!user) return;
  ctx.queries.submit([&ctx, call, u = std::move(*user)](store::Reader*) {
    commandpb::Command cmd;
    auto* m = cmd.mutable_create_user();
    m->set_username(u.username);
    m->set_role(static_cast<commandpb::UserRole>(u.role));
    try {
      m->set_password_hash(hash_password(u.password));
    } catch (const std::exception& e) {
      return call->reply(problem_response(problems::internal(e.what())));
    }
    ctx.post([&ctx, call, cmd = std::move(cmd)] { propose(ctx, call, cmd); });
  });
}

void list_users(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto level = read_params(call);
  if (!level) return;
  read(ctx, call, *level, [](store::Reader& reader) { return json_response(200, store::user_list_body(reader.list_users())); });
}

}  // namespace

std::vector<Route> account_routes() {
  return {
      {"POST", "/v1/auth/login", Access::kPublic, login},
      {"POST", "/v1/users", Access::kAdmin, create_user},
      {"GET", "/v1/users", Access::kAdmin, list_users},
  };
}

}  // namespace taskraft::api

// `taskraft user ...`: add and ls (API.md "Auth"; admin only, the server decides).
//
// Guarantees: the new user's password comes from --new-password, --new-password-file or a
// prompt, and is sent only in the body of POST /v1/users; with --json each command prints the
// server's JSON.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/command_context.h"
#include "cli/output.h"
#include "cli/secret_input.h"

namespace taskraft::cli {
namespace {

struct UserOptions {
  std::string name;
  std::string role = "member";
  std::string password;
  std::string password_file;
};

void add_user(const GlobalOptions& g, const UserOptions& o) {
  std::string password = !o.password.empty()        ? o.password
                         : !o.password_file.empty() ? read_secret_file(o.password_file)
                                                    : prompt_secret("password for the new user " + o.name + ": ");
  ApiSession s = open_session(g);
  boost::json::value body = {{"username", o.name}, {"password", password}, {"role", o.role}};
  boost::json::value user = s.call("POST", "/v1/users", &body);
  if (g.json) return print_json(user);
  std::cout << "created user " << cell(user.as_object().if_contains("username")) << " ("
            << cell(user.as_object().if_contains("role")) << ")\n";
}

void list_users(const GlobalOptions& g, const UserOptions&) {
  ApiSession s = open_session(g);
  boost::json::value answer = s.get("/v1/users");
  if (g.json) return print_json(answer);
  Table table({{"USERNAME", 64}, {"ROLE", 8}, {"CREATED", 24}});
  for (const boost::json::value& v : answer.as_object().at("items").as_array()) {
    const boost::json::object& u = v.as_object();
    table.add({cell(u.if_contains("username")), cell(u.if_contains("role")), cell(u.if_contains("created_at"))});
  }
  table.print(std::cout);
}

}  // namespace

void add_user_commands(CLI::App& app, CommandContext& ctx) {
  CommandGroup<UserOptions> user(add_group(app, "user", "manage users (admin)"), ctx);
  UserOptions& o = user.options();
  CLI::App* add = user.add("add", "create a user", add_user);
  add->add_option("NAME", o.name, "username")->required();
  add->add_option("--role", o.role, "admin or member")->capture_default_str();
  add->add_option("--new-password", o.password, "the new user's password (else --new-password-file or a prompt)");
  add->add_option("--new-password-file", o.password_file, "file whose first line is the new user's password");
  user.add("ls", "list users", list_users);
}

}  // namespace taskraft::cli

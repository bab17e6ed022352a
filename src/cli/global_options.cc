// The shared options and the session they open (see global_options.h).
#include "cli/global_options.h"

#include <CLI/CLI.hpp>
#include <cmath>

#include "cli/failure.h"
#include "cli/secret_input.h"

namespace taskraft::cli {

void add_global_options(CLI::App& app, GlobalOptions& o) {
  app.add_option("--nodes", o.nodes, "node API addresses, comma-separated: http://127.0.0.11:8000,...")
      ->envname("TASKRAFT_NODES");
  app.add_option("--user", o.user, "user to log in as")->envname("TASKRAFT_USER");
  app.add_option("--password", o.password, "password (prefer TASKRAFT_PASSWORD or --password-file)")
      ->envname("TASKRAFT_PASSWORD");
  app.add_option("--password-file", o.password_file, "file whose first line is the password");
  app.add_flag("--json", o.json, "print the answers as JSON, for scripts");
  app.add_option("--timeout", o.timeout_s, "seconds one command may spend trying the nodes")
      ->check(CLI::PositiveNumber);
}

std::vector<NodeAddress> GlobalOptions::node_list() const {
  if (nodes.empty()) throw UsageError("no nodes: pass --nodes http://HOST:PORT,... or set TASKRAFT_NODES");
  auto parsed = parse_nodes(nodes);
  if (auto* message = std::get_if<std::string>(&parsed)) throw UsageError("--nodes: " + *message);
  return std::get<std::vector<NodeAddress>>(std::move(parsed));
}

std::string GlobalOptions::resolved_password() const {
  if (!password.empty()) return password;
  if (!password_file.empty()) return read_secret_file(password_file);
  return prompt_secret("password for " + user + ": ");
}

FailoverOptions GlobalOptions::failover() const {
  FailoverOptions f;
  f.deadline = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(timeout_s * 1000)));
  f.request_timeout = std::min(f.request_timeout, f.deadline);
  return f;
}

ApiSession open_session(const GlobalOptions& o) {
  std::vector<NodeAddress> nodes = o.node_list();
  if (o.user.empty()) throw UsageError("no user: pass --user NAME or set TASKRAFT_USER");
  std::string password = o.resolved_password();
  ApiSession session(FailoverClient(std::move(nodes), o.failover()));
  session.login(o.user, password);
  return session;
}

}  // namespace taskraft::cli

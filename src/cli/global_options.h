// The options every cluster command shares (--nodes, --user, --password, --json, ...), and the
// logged-in session they describe.
//
// Guarantees: each option may come from the environment instead (TASKRAFT_NODES, TASKRAFT_USER,
// TASKRAFT_PASSWORD); the password comes from --password (or TASKRAFT_PASSWORD), else from
// --password-file, else from a prompt. Missing or malformed options throw UsageError before
// anything is sent.
#pragma once

#include <string>
#include <vector>

#include "cli/api_session.h"
#include "cli/node_address.h"

namespace CLI {
class App;
}

namespace taskraft::cli {

struct GlobalOptions {
  std::string nodes;
  std::string user;
  std::string password;
  std::string password_file;
  bool json = false;
  double timeout_s = 30;

  std::vector<NodeAddress> node_list() const;  // throws UsageError
  std::string resolved_password() const;        // throws UsageError
  FailoverOptions failover() const;
};

void add_global_options(CLI::App& app, GlobalOptions& options);

// A session logged in to the cluster the options name (throws UsageError, ApiError, UnavailableError).
ApiSession open_session(const GlobalOptions& options);

}  // namespace taskraft::cli

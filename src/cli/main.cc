// taskraft: the command line of a taskraft cluster (tasks, users, cluster admin) and its
// benchmark (`taskraft bench`).
//
// Guarantees: exit codes as failure.h says: 0 done, 1 the cluster refused (its problem printed
// on stderr: title, detail and one line per field error), 2 a usage error (nothing was sent),
// 3 no node could answer, 4 anything else (an unexpected answer, a benchmark's
// database error). Answers go to stdout, diagnostics to stderr.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command_context.h"
#include "cli/failure.h"

int main(int argc, char** argv) {
  using namespace taskraft::cli;
  CLI::App app{"taskraft: tasks, users and cluster administration of a taskraft cluster, and its benchmark"};
  app.name("taskraft");
  app.require_subcommand(1);
  app.fallthrough();
  CommandContext context;
  add_global_options(app, context.global);
  add_task_commands(app, context);
  add_user_commands(app, context);
  add_cluster_commands(app, context);
  add_bench_command(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    context.action();
    return kExitOk;
  } catch (const UsageError& e) {
    std::cerr << "taskraft: " << e.what() << "\n";
    return kExitUsage;
  } catch (const ApiError& e) {
    std::cerr << e.lines() << "\n";
    return kExitApiError;
  } catch (const UnavailableError& e) {
    std::cerr << "taskraft: unavailable: " << e.what() << "\n";
    return kExitUnavailable;
  } catch (const std::exception& e) {
    std::cerr << "taskraft: " << e.what() << "\n";
    return kExitFailure;
  }
}

// What the command groups (task, user, cluster, bench) share while the command line is parsed:
// the global options, and the action the chosen subcommand leaves to run once parsing is done.
//
// Guarantees: parsing only records what to do; main.cc runs `action` after CLI11 has accepted
// the whole command line, so a usage error never sends anything.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cli/global_options.h"

namespace CLI {
class App;
}

namespace taskraft::cli {

struct CommandContext {
  GlobalOptions global;
  std::function<void()> action;
};

// Adds subcommand `name` to `parent`; choosing it on the command line makes `run` the action.
CLI::App* add_action(CLI::App& parent, const char* name, const char* help, CommandContext& context,
                     std::function<void()> run);

// A group of subcommands ("task", "user", "cluster"), one of which must be chosen.
CLI::App& add_group(CLI::App& app, const char* name, const char* help);

// The subcommands of one group, whose actions share one Options value that their options fill.
// The Options live as long as the actions that use them (they hold it).
template <typename Options>
class CommandGroup {
 public:
  CommandGroup(CLI::App& group, CommandContext& context)
      : group_(group), context_(context), options_(std::make_shared<Options>()) {}

  Options& options() { return *options_; }

  CLI::App* add(const char* name, const char* help, void (*run)(const GlobalOptions&, const Options&)) {
    return add_action(group_, name, help, context_,
                      [context = &context_, options = options_, run] { run(context->global, *options); });
  }

 private:
  CLI::App& group_;
  CommandContext& context_;
  std::shared_ptr<Options> options_;
};

void add_task_commands(CLI::App& app, CommandContext& context);
void add_user_commands(CLI::App& app, CommandContext& context);
void add_cluster_commands(CLI::App& app, CommandContext& context);
void add_bench_command(CLI::App& app, CommandContext& context);

}  // namespace taskraft::cli

// Subcommands that leave an action (see command_context.h).
#include "cli/command_context.h"

#include <CLI/CLI.hpp>

namespace taskraft::cli {

CLI::App* add_action(CLI::App& parent, const char* name, const char* help, CommandContext& context,
                     std::function<void()> run) {
  CLI::App* command = parent.add_subcommand(name, help);
  command->callback([&context, run = std::move(run)] { context.action = run; });
  return command;
}

CLI::App& add_group(CLI::App& app, const char* name, const char* help) {
  return *app.add_subcommand(name, help)->require_subcommand(1);
}

}  // namespace taskraft::cli

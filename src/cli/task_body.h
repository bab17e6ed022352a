// The writable task fields a command line sets (`task add`, `task edit`), as the JSON body of
// POST /v1/tasks or PATCH /v1/tasks/{id}.
//
// Guarantees: only the options given appear in the body; an empty --due, --assignee or --project
// clears that field (JSON null) and --clear-tags sets no tags; values are sent as typed, and the
// server's validation (422 naming each field) is the one judge of them.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace taskraft::cli {

struct TaskFieldOptions {
  std::optional<std::string> title;  // an option for edit; the positional TITLE for add
  std::optional<std::string> description;
  std::optional<std::string> status;
  std::optional<std::string> priority;
  std::optional<std::string> due;
  std::vector<std::string> tags;
  bool clear_tags = false;
  std::optional<std::string> assignee;
  std::optional<std::string> project;

  boost::json::object body() const;
};

// Registers --description --priority --status --due --tag --assignee --project (and, with
// `editing`, --title and --clear-tags) on `command`.
void add_task_field_options(CLI::App& command, TaskFieldOptions& fields, bool editing);

}  // namespace taskraft::cli

// Task fields from options to JSON (see task_body.h).
#include "cli/task_body.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

namespace taskraft::cli {
namespace {

boost::json::value nullable(const std::string& s) { return s.empty() ? boost::json::value(nullptr) : boost::json::value(s); }

}  // namespace

boost::json::object TaskFieldOptions::body() const {
  boost::json::object o;
  if (title) o["title"] = *title;
  if (description) o["description"] = *description;
  if (status) o["status"] = *status;
  if (priority) o["priority"] = *priority;
  if (due) o["due_at"] = nullable(*due);
  if (!tags.empty() || clear_tags) {
    boost::json::array list;
    for (const std::string& t : tags) list.push_back(boost::json::value(t));
    o["tags"] = std::move(list);
  }
  if (assignee) o["assignee"] = nullable(*assignee);
  if (project) o["project"] = nullable(*project);
  return o;
}

void add_task_field_options(CLI::App& c, TaskFieldOptions& f, bool editing) {
  if (editing) c.add_option("--title", f.title, "new title (1-200 characters)");
  c.add_option("--description,-d", f.description, "description (up to 10,000 characters)");
  c.add_option("--status,-s", f.status, "todo, in_progress or done");
  c.add_option("--priority,-p", f.priority, "low, medium, high or urgent");
  c.add_option("--due", f.due, "due date-time, RFC 3339 UTC such as 2026-12-01T17:00:00Z (\"\" clears it)");
  c.add_option("--tag,-t", f.tags, editing ? "tag; repeat for several (replaces the task's tags)" : "tag; repeat for several")
      ->allow_extra_args(false);
  if (editing) c.add_flag("--clear-tags", f.clear_tags, "remove every tag");
  c.add_option("--assignee,-a", f.assignee, "user the task is assigned to (\"\" clears it)");
  c.add_option("--project", f.project, "project (\"\" clears it)");
}

}  // namespace taskraft::cli

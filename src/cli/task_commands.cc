// `taskraft task ...`: add, ls, show, edit, done, rm, history (API.md "Tasks").
//
// Guarantees: each command makes the calls API.md names and nothing else; writes carry an
// Idempotency-Key (api_session.h), so a retry on another node never doubles them; `ls --all`
// follows next_cursor until the server says there is no more; with --json each command prints
// the server's JSON (ls: {"items": [...], "next_cursor": ...}; rm: {"id": N, "deleted": true}).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/command_context.h"
#include "cli/failure.h"
#include "cli/output.h"
#include "cli/query_string.h"
#include "cli/task_body.h"
#include "cli/task_view.h"

namespace taskraft::cli {
namespace {

struct TaskOptions {
  std::uint64_t id = 0;
  std::string title;
  TaskFieldOptions fields;
  std::optional<std::uint64_t> if_match;
  bool stale = false;
  // ls
  std::optional<std::string> status, priority, tag, assignee, project, q, due_before, due_after, sort;
  std::optional<unsigned> limit;
  bool all = false;
};

std::string task_path(std::uint64_t id) { return "/v1/tasks/" + std::to_string(id); }

Headers if_match_header(const TaskOptions& o) {
  if (!o.if_match) return {};
  return {{"If-Match", "\"" + std::to_string(*o.if_match) + "\""}};
}

QueryString read_query(const TaskOptions& o) {
  QueryString q;
  if (o.stale) q.add("consistency", "stale");
  return q;
}

void show_task(const GlobalOptions& g, const boost::json::value& task) {
  if (g.json) return print_json(task);
  print_task(std::cout, task.as_object());
}

void add(const GlobalOptions& g, const TaskOptions& o) {
  ApiSession s = open_session(g);
  boost::json::value body = o.fields.body();
  body.as_object()["title"] = o.title;
  boost::json::value task = s.call("POST", "/v1/tasks", &body);
  if (g.json) return print_json(task);
  std::cout << "created task " << cell(task.as_object().if_contains("id")) << "\n";
}

void list(const GlobalOptions& g, const TaskOptions& o) {
  ApiSession s = open_session(g);
  QueryString base = read_query(o);
  const std::pair<const char*, const std::optional<std::string>*> filters[] = {
      {"status", &o.status},         {"priority", &o.priority},   {"tag", &o.tag},
      {"assignee", &o.assignee},     {"project", &o.project},     {"q", &o.q},
      {"due_before", &o.due_before}, {"due_after", &o.due_after}, {"sort", &o.sort}};
  for (const auto& [name, value] : filters) {
    if (*value) base.add(name, **value);
  }
  if (o.limit || o.all) base.add("limit", std::to_string(o.limit.value_or(500)));
  boost::json::array items;
  boost::json::value cursor = nullptr;
  do {
    QueryString page = base;
    if (cursor.is_string()) page.add("cursor", cursor.get_string());
    boost::json::value answer = s.get(page.after("/v1/tasks"));
    const boost::json::object& o_answer = answer.as_object();
    for (const boost::json::value& t : o_answer.at("items").as_array()) items.push_back(t);
    const boost::json::value* next = o_answer.if_contains("next_cursor");
    cursor = next ? *next : nullptr;
  } while (o.all && cursor.is_string());
  if (g.json) return print_json(boost::json::object{{"items", std::move(items)}, {"next_cursor", cursor}});
  print_task_list(std::cout, items);
  if (cursor.is_string()) std::cerr << "(more tasks: --all lists every page)\n";
}

void show(const GlobalOptions& g, const TaskOptions& o) {
  ApiSession s = open_session(g);
  show_task(g, s.get(read_query(o).after(task_path(o.id))));
}

void patch(const GlobalOptions& g, const TaskOptions& o, boost::json::value body) {
  ApiSession s = open_session(g);
  show_task(g, s.call("PATCH", task_path(o.id), &body, if_match_header(o)));
}

void edit(const GlobalOptions& g, const TaskOptions& o) {
  boost::json::object body = o.fields.body();
  if (body.empty()) throw UsageError("task edit: nothing to change (give --title, --status, ... )");
  patch(g, o, std::move(body));
}

void done(const GlobalOptions& g, const TaskOptions& o) { patch(g, o, boost::json::object{{"status", "done"}}); }

void remove(const GlobalOptions& g, const TaskOptions& o) {
  ApiSession s = open_session(g);
  s.call("DELETE", task_path(o.id), nullptr, if_match_header(o));
  if (g.json) return print_json(boost::json::object{{"id", o.id}, {"deleted", true}});
  std::cout << "deleted task " << o.id << "\n";
}

void history(const GlobalOptions& g, const TaskOptions& o) {
  ApiSession s = open_session(g);
  boost::json::value answer = s.get(read_query(o).after(task_path(o.id) + "/history"));
  if (g.json) return print_json(answer);
  print_history(std::cout, answer.as_object().at("items").as_array());
}

}  // namespace

void add_task_commands(CLI::App& app, CommandContext& ctx) {
  CommandGroup<TaskOptions> task(add_group(app, "task", "create, list, show, change and delete tasks"), ctx);
  TaskOptions& o = task.options();
  auto id_of = [&o](CLI::App* c) { c->add_option("ID", o.id, "task id")->required()->check(CLI::PositiveNumber); };
  auto stale_of = [&o](CLI::App* c) {
    c->add_flag("--stale", o.stale, "read the answering node's data as it is (consistency=stale)");
  };
  auto if_match_of = [&o](CLI::App* c, const char* help) { c->add_option("--if-match", o.if_match, help); };

  CLI::App* a = task.add("add", "create a task", add);
  a->add_option("TITLE", o.title, "title (1-200 characters)")->required();
  add_task_field_options(*a, o.fields, false);

  CLI::App* ls = task.add("ls", "list tasks (newest change first unless --sort)", list);
  ls->add_option("--status", o.status, "todo, in_progress or done");
  ls->add_option("--priority", o.priority, "low, medium, high or urgent");
  ls->add_option("--tag", o.tag, "tasks with this tag");
  ls->add_option("--assignee", o.assignee, "tasks assigned to this user");
  ls->add_option("--project", o.project, "tasks of this project");
  ls->add_option("--q", o.q, "full-text search in title and description");
  ls->add_option("--due-before", o.due_before, "due before this RFC 3339 date-time");
  ls->add_option("--due-after", o.due_after, "due after this RFC 3339 date-time");
  ls->add_option("--sort", o.sort, "field to sort by (id, created_at, updated_at, due_at, priority, status, title); -FIELD descends");
  ls->add_option("--limit", o.limit, "at most this many tasks (1-500); with --all, the page size");
  ls->add_flag("--all", o.all, "every matching task, page after page");
  stale_of(ls);

  CLI::App* sh = task.add("show", "show one task", show);
  id_of(sh);
  stale_of(sh);

  CLI::App* e = task.add("edit", "change fields of a task", edit);
  id_of(e);
  add_task_field_options(*e, o.fields, true);
  if_match_of(e, "apply only if the task is still at this version");

  CLI::App* d = task.add("done", "mark a task done", done);
  id_of(d);
  if_match_of(d, "apply only if the task is still at this version");

  CLI::App* rm = task.add("rm", "delete a task", remove);
  id_of(rm);
  if_match_of(rm, "delete only if the task is still at this version");

  CLI::App* h = task.add("history", "every change of a task, with its Raft index and term", history);
  id_of(h);
  stale_of(h);
}

}  // namespace taskraft::cli

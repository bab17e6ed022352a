// Task request bodies to commands (see task_input.h).
#include "api/task_input.h"

#include <optional>
#include <string>
#include <vector>

#include "api/json_fields.h"
#include "store/rules.h"
#include "store/task.h"
#include "store/time_format.h"

namespace taskraft::api {
namespace {

namespace pb = commandpb;

// The members a body sets, each already of the right type.
struct TaskFields {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<store::Status> status;
  std::optional<store::Priority> priority;
  Settable<std::int64_t> due_at;
  std::optional<std::vector<std::string>> tags;
  Settable<std::string> assignee;
  Settable<std::string> project;

  bool sets(std::string_view field) const {
    std::string_view base = field.substr(0, field.find('['));
    return (base == "title" && title) || (base == "description" && description) || (base == "tags" && tags) ||
           (base == "due_at" && due_at.present) || (base == "assignee" && assignee.present) ||
           (base == "project" && project.present);
  }
};

template <typename Enum>
std::optional<Enum> read_enum(JsonFields& f, std::string_view name, std::optional<Enum> (*parse)(std::string_view),
                              const char* allowed) {
  auto text = f.string(name);
  if (!text) return std::nullopt;
  auto value = parse(*text);
  if (!value) f.error(name, std::string("must be one of ") + allowed);
  return value;
}

TaskFields read_fields(JsonFields& f) {
  f.check_names({"title", "description", "status", "priority", "due_at", "tags", "assignee", "project"},
                {"id", "created_by", "created_at", "updated_at", "version"});
  TaskFields t;
  t.title = f.string("title");
  t.description = f.string("description");
  t.status = read_enum(f, "status", store::parse_status, "todo, in_progress, done");
  t.priority = read_enum(f, "priority", store::parse_priority, "low, medium, high, urgent");
  Settable<std::string> due = f.nullable_string("due_at");
  t.due_at.present = due.present;
  if (due.value) {
    t.due_at.value = store::parse_rfc3339(*due.value);
    if (!t.due_at.value) {
      f.error("due_at", "must be an RFC 3339 date-time such as 2026-12-01T17:00:00Z");
      t.due_at.present = false;
    }
  }
  t.tags = f.string_array("tags");
  if (t.tags) store::dedupe_tags(*t.tags);
  t.assignee = f.nullable_string("assignee");
  t.project = f.nullable_string("project");
  return t;
}

// The rules of store/rules.h for the members the body sets: a probe task holds them (and valid
// stand-ins for the rest), and only the errors of members the body sets are kept.
void check_rules(const TaskFields& t, JsonFields& f) {
  store::Task probe;
  probe.title = t.title.value_or("-");
  probe.description = t.description.value_or("");
  probe.due_at_ms = t.due_at.value;
  probe.tags = t.tags.value_or(std::vector<std::string>{});
  probe.assignee = t.assignee.value;
  probe.project = t.project.value;
  for (store::FieldError& e : store::check_task(probe)) {
    if (t.sets(e.field)) f.error(e.field, std::move(e.message));
  }
}

template <typename Command>
std::variant<Command, store::Problem> build(std::string_view body, bool create,
                                            void (*fill)(const TaskFields&, Command&)) {
  return read_body(body, [&](JsonFields& f) {
    if (create) f.require("title");
    TaskFields t = read_fields(f);
    check_rules(t, f);
    Command cmd;
    if (!f.failed()) fill(t, cmd);
    return cmd;
  });
}

void fill_create(const TaskFields& t, pb::CreateTask& m) {
  m.set_title(*t.title);
  if (t.description) m.set_description(*t.description);
  if (t.status) m.set_status(static_cast<pb::TaskStatus>(*t.status));
  if (t.priority) m.set_priority(static_cast<pb::TaskPriority>(*t.priority));
  if (t.due_at.value) m.set_due_at_ms(*t.due_at.value);
  if (t.tags) m.mutable_tags()->Assign(t.tags->begin(), t.tags->end());
  if (t.assignee.value) m.set_assignee(*t.assignee.value);
  if (t.project.value) m.set_project(*t.project.value);
}

void fill_update(const TaskFields& t, pb::UpdateTask& m) {
  if (t.title) m.set_title(*t.title);
  if (t.description) m.set_description(*t.description);
  if (t.status) m.set_status(static_cast<pb::TaskStatus>(*t.status));
  if (t.priority) m.set_priority(static_cast<pb::TaskPriority>(*t.priority));
  if (t.due_at.present) {
    auto* due = m.mutable_due_at();
    if (t.due_at.value) due->set_value_ms(*t.due_at.value);
  }
  if (t.tags) m.mutable_tags()->mutable_tags()->Assign(t.tags->begin(), t.tags->end());
  if (t.assignee.present) {
    auto* assignee = m.mutable_assignee();
    if (t.assignee.value) assignee->set_value(*t.assignee.value);
  }
  if (t.project.present) {
    auto* project = m.mutable_project();
    if (t.project.value) project->set_value(*t.project.value);
  }
}

}  // namespace

std::variant<pb::CreateTask, store::Problem> create_task_command(std::string_view body) {
  return build<pb::CreateTask>(body, true, fill_create);
}

std::variant<pb::UpdateTask, store::Problem> update_task_command(std::string_view body) {
  return build<pb::UpdateTask>(body, false, fill_update);
}

}  // namespace taskraft::api

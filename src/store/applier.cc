// The task state machine's transition function (see applier.h).
#include "store/applier.h"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "command.pb.h"
#include "store/connection.h"
#include "store/error.h"
#include "store/history.h"
#include "store/idempotency.h"
#include "store/rules.h"
#include "store/task_json.h"
#include "store/task_rows.h"
#include "store/time_format.h"
#include "store/user_rows.h"

namespace taskraft::store {
namespace {

namespace pb = commandpb;

static_assert(static_cast<int>(Status::kTodo) == pb::TASK_STATUS_TODO);
static_assert(static_cast<int>(Status::kDone) == pb::TASK_STATUS_DONE);
static_assert(static_cast<int>(Priority::kLow) == pb::TASK_PRIORITY_LOW);
static_assert(static_cast<int>(Priority::kUrgent) == pb::TASK_PRIORITY_URGENT);
static_assert(static_cast<int>(Role::kAdmin) == pb::USER_ROLE_ADMIN);
static_assert(static_cast<int>(Role::kMember) == pb::USER_ROLE_MEMBER);

constexpr std::int64_t kPurgeEveryMs = 60 * 1000;
constexpr std::size_t kMaxRequestHash = 64;

Outcome malformed(const std::string& detail) {
  return problem_outcome({400, "malformed-command", "Malformed command", detail, {}});
}

Outcome not_found(std::uint64_t id) {
  return problem_outcome({404, "not-found", "Task not found", "task " + std::to_string(id) + " does not exist", {}});
}

Outcome invalid(std::vector<FieldError> errors) {
  std::string detail = std::to_string(errors.size()) + (errors.size() == 1 ? " field breaks" : " fields break") +
                       " the rules";
  return problem_outcome({422, "validation", "Invalid request", detail, std::move(errors)});
}

// A proto enum value as the store's enum, or an error for `field` (unknown numbers are possible:
// proto3 enums are open).
template <typename Enum>
void convert(int number, std::optional<Enum> (*from_number)(std::int64_t), Enum& out, const char* field,
             std::vector<FieldError>& errors) {
  if (auto v = from_number(number)) {
    out = *v;
  } else {
    errors.push_back({field, "unknown value"});
  }
}

}  // namespace

Outcome CommandApplier::apply(const raft::Entry& e) {
  pb::Command cmd;
  if (!cmd.ParseFromString(e.data)) return malformed("the entry is not a command");
  if (cmd.version() > pb::FORMAT_VERSION_1) {
    throw UnsupportedCommand("entry " + std::to_string(e.index) + " has command format version " +
                             std::to_string(cmd.version()) + "; this binary knows up to 1: upgrade it");
  }
  if (cmd.version() == pb::FORMAT_VERSION_UNSPECIFIED) return malformed("the command has no format version");
  if (cmd.at_ms() < 0 || cmd.at_ms() > kMaxTimeMs) return malformed("the command's time is out of range");
  auto actor_length = utf8_length(cmd.actor());
  if (!actor_length || *actor_length < 1 || *actor_length > kMaxUsername) {
    return malformed("the command's actor is not a valid username");
  }
  if (cmd.request_hash().size() > kMaxRequestHash) return malformed("the request hash is too long");

  entry_ = &e;
  actor_ = cmd.actor();
  now_ms_ = std::max(meta_.log_clock_ms, cmd.at_ms());
  // Expired records are purged when the log clock enters a new minute: at the same entry on
  // every node, however the log is cut into batches.
  if (now_ms_ / kPurgeEveryMs != meta_.log_clock_ms / kPurgeEveryMs) purge_idempotency(c_, now_ms_);
  meta_.log_clock_ms = now_ms_;

  const std::string& key = cmd.idempotency_key();
  if (key.empty()) return run(cmd);
  if (!valid_idempotency_key(key)) {
    return invalid({{"Idempotency-Key", "must be 1 to 64 printable ASCII characters"}});
  }
  if (auto record = find_idempotency(c_, actor_, key, now_ms_)) {
    if (record->request_hash == cmd.request_hash()) return record->outcome;
    return problem_outcome({422, "idempotency-key-reused", "Idempotency key reused",
                            "the key was used before with a different request", {}});
  }
  Outcome outcome = run(cmd);
  record_idempotency(c_, actor_, key, cmd.request_hash(), outcome, now_ms_, e.index);
  return outcome;
}

Outcome CommandApplier::run(const pb::Command& cmd) {
  switch (cmd.op_case()) {
    case pb::Command::kCreateTask: return create_task(cmd.create_task());
    case pb::Command::kUpdateTask: return update_task(cmd.update_task());
    case pb::Command::kDeleteTask: return delete_task(cmd.delete_task());
    case pb::Command::kCreateUser: return create_user(cmd.create_user());
    case pb::Command::OP_NOT_SET: break;
  }
  return malformed("the command has no operation");
}

Outcome CommandApplier::create_task(const pb::CreateTask& m) {
  Task t;
  std::vector<FieldError> errors;
  t.title = m.title();
  t.description = m.description();
  if (m.status() != pb::TASK_STATUS_UNSPECIFIED) convert(m.status(), status_from_number, t.status, "status", errors);
  if (m.priority() != pb::TASK_PRIORITY_UNSPECIFIED) {
    convert(m.priority(), priority_from_number, t.priority, "priority", errors);
  }
  if (m.has_due_at_ms()) t.due_at_ms = m.due_at_ms();
  t.tags.assign(m.tags().begin(), m.tags().end());
  dedupe_tags(t.tags);
  if (m.has_assignee()) t.assignee = m.assignee();
  if (m.has_project()) t.project = m.project();
  auto rule_errors = check_task(t);
  errors.insert(errors.end(), rule_errors.begin(), rule_errors.end());
  if (!errors.empty()) return invalid(std::move(errors));

  t.id = meta_.next_task_id++;
  t.created_by = actor_;
  t.created_at_ms = t.updated_at_ms = now_ms_;
  t.version = 1;
  insert_task(c_, t);
  const boost::json::object created = task_json(t);
  insert_history(c_, t.id, {t.version, entry_->index, entry_->term, now_ms_, actor_, "create", task_changes(nullptr, created)});
  return json_outcome(201, changed(t, boost::json::serialize(created)));
}

Outcome CommandApplier::update_task(const pb::UpdateTask& m) {
  std::optional<Task> current = load_task(c_, m.id());
  if (!current) return not_found(m.id());
  if (m.has_if_match() && m.if_match() != current->version) return json_outcome(412, task_body(*current));

  Task next = *current;
  std::vector<FieldError> errors;
  if (m.has_title()) next.title = m.title();
  if (m.has_description()) next.description = m.description();
  if (m.has_status()) convert(m.status(), status_from_number, next.status, "status", errors);
  if (m.has_priority()) convert(m.priority(), priority_from_number, next.priority, "priority", errors);
  if (m.has_due_at()) {
    next.due_at_ms = m.due_at().has_value_ms() ? std::optional(m.due_at().value_ms()) : std::nullopt;
  }
  if (m.has_tags()) {
    next.tags.assign(m.tags().tags().begin(), m.tags().tags().end());
    dedupe_tags(next.tags);
  }
  if (m.has_assignee()) next.assignee = m.assignee().has_value() ? std::optional(m.assignee().value()) : std::nullopt;
  if (m.has_project()) next.project = m.project().has_value() ? std::optional(m.project().value()) : std::nullopt;
  auto rule_errors = check_task(next);
  errors.insert(errors.end(), rule_errors.begin(), rule_errors.end());
  if (!errors.empty()) return invalid(std::move(errors));

  // Rendered once each: the history's changes compare writable fields only, so the new version
  // and time (set first) do not count, and `after` is the answer's body as it stands.
  const boost::json::object before = task_json(*current);
  next.version = current->version + 1;
  next.updated_at_ms = now_ms_;
  const boost::json::object after = task_json(next);
  std::string changes = task_changes(&before, after);
  if (changes == "{}") return json_outcome(200, boost::json::serialize(before));  // nothing changes: no new version
  store::update_task(c_, next, next.tags != current->tags);
  insert_history(c_, next.id, {next.version, entry_->index, entry_->term, now_ms_, actor_, "update", changes});
  return json_outcome(200, changed(next, boost::json::serialize(after)));
}

Outcome CommandApplier::delete_task(const pb::DeleteTask& m) {
  std::optional<Task> current = load_task(c_, m.id());
  if (!current) return not_found(m.id());
  if (m.has_if_match() && m.if_match() != current->version) return json_outcome(412, task_body(*current));
  store::delete_task(c_, current->id);
  changes_.push_back({current->id, std::nullopt});
  insert_history(c_, current->id, {current->version + 1, entry_->index, entry_->term, now_ms_, actor_, "delete", "{}"});
  return no_content_outcome();
}

std::string CommandApplier::changed(const Task& t, std::string body) {
  changes_.push_back({t.id, CachedTask{t.version, body}});
  return body;
}

Outcome CommandApplier::create_user(const pb::CreateUser& m) {
  User u{m.username(), m.password_hash(), Role::kMember, now_ms_};
  std::vector<FieldError> errors = check_user(u.username, u.password_hash);
  convert(m.role(), role_from_number, u.role, "role", errors);
  if (!errors.empty()) return invalid(std::move(errors));
  if (load_user(c_, u.username)) {
    return problem_outcome({409, "user-exists", "User already exists", "user '" + u.username + "' exists", {}});
  }
  insert_user(c_, u);
  return json_outcome(201, user_body(u));
}

}  // namespace taskraft::store

// The task routes of API.md: create, get, patch, delete, list, history.
//
// Guarantees: writes are validated completely before they are proposed (task_input.h) and
// answered with the state machine's outcome; task answers carry ETag: "<version>" (201 and 200,
// and the 412 that shows the current task), and a 201 carries Location. Reads honour the
// consistency parameters (read_path.h); a get answers from the task cache when it holds the
// task (store/task_cache.h), else from MySQL, and offers what MySQL said to the cache.
#include <boost/json.hpp>
#include <charconv>

#include "api/call.h"
#include "api/context.h"
#include "api/problems.h"
#include "api/read_path.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/task_input.h"
#include "api/write_path.h"
#include "command.pb.h"
#include "store/reader.h"
#include "store/task_cache.h"
#include "store/task_json.h"

namespace taskraft::api {
namespace {

Response task_not_found(std::string_view id) {
  return problem_response({404, "not-found", "Task not found", "task " + problems::quote(id) + " does not exist", {}});
}

// The task's id as the path gives it, or answers 404 (a path that is no id names no task).
std::optional<store::TaskId> task_id(const std::shared_ptr<Call>& call) {
  auto id = id_param(*call);
  if (!id) call->reply(task_not_found(call->params().at(0)));
  return id;
}

// ETag (and for 201 Location) of an answer whose body is a task.
void add_task_headers(Response& r) {
  if (r.content_type != store::kJsonContentType) return;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.body, ec);
  const boost::json::object* o = ec ? nullptr : v.if_object();
  const boost::json::value* version = o ? o->if_contains("version") : nullptr;
  const boost::json::value* id = o ? o->if_contains("id") : nullptr;
  if (!version || !version->is_number() || !id || !id->is_number()) return;
  r.headers.set("ETag", "\"" + boost::json::serialize(*version) + "\"");
  if (r.status == 201) r.headers.set("Location", "/v1/tasks/" + boost::json::serialize(*id));
}

Response task_response(const store::CachedTask& task) {
  Response r = json_response(200, task.body);
  r.headers.set("ETag", "\"" + std::to_string(task.version) + "\"");
  return r;
}

// If-Match: "<version>" (quotes optional); "*" and absence mean no condition. Answers 400 otherwise.
std::optional<std::optional<std::uint64_t>> if_match(const std::shared_ptr<Call>& call) {
  auto header = call->request().headers.get("If-Match");
  if (!header || *header == "*") return std::optional<std::uint64_t>();
  std::string_view text = *header;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  std::uint64_t version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    call->reply(problem_response(problems::malformed("If-Match must be a task's ETag, such as \"3\"")));
    return std::nullopt;
  }
  return std::optional<std::uint64_t>(version);
}

void create_task(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto m = take(call, create_task_command(call->request().body));
  if (!m) return;
  commandpb::Command cmd;
  *cmd.mutable_create_task() = std::move(*m);
  propose(ctx, call, std::move(cmd), add_task_headers);
}

void update_task(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto id = task_id(call);
  if (!id) return;
  auto version = if_match(call);
  if (!version) return;
  auto m = take(call, update_task_command(call->request().body));
  if (!m) return;
  m->set_id(*id);
  if (*version) m->set_if_match(**version);
  commandpb::Command cmd;
  *cmd.mutable_update_task() = std::move(*m);
  propose(ctx, call, std::move(cmd), add_task_headers);
}

void delete_task(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto id = task_id(call);
  if (!id) return;
  auto version = if_match(call);
  if (!version) return;
  commandpb::Command cmd;
  cmd.mutable_delete_task()->set_id(*id);
  if (*version) cmd.mutable_delete_task()->set_if_match(**version);
  propose(ctx, call, std::move(cmd), add_task_headers);
}

void get_task(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto id = task_id(call);
  if (!id) return;
  auto level = read_params(call);
  if (!level) return;
  store::TaskCache& cache = ctx.service.task_cache();
  auto from_mysql = [id = *id, &cache](store::Reader& reader) {
    const raft::Index published = cache.published();  // before the read: see TaskCache::fill
    auto task = reader.get_task(id);
    if (!task) return task_not_found(std::to_string(id));
    store::CachedTask found{task->version, store::task_body(*task)};
    Response r = task_response(found);
    cache.fill(id, std::move(found), published);
    return r;
  };
  auto from_memory = [id = *id, &cache]() -> std::optional<Response> {
    auto hit = cache.lookup(id);
    if (!hit) return std::nullopt;
    return task_response(*hit);
  };
  read(ctx, call, *level, std::move(from_mysql), std::move(from_memory));
}

void list_tasks(const Context& ctx, const std::shared_ptr<Call>& call) {
  store::TaskQuery query;
  auto level = read_params(call, [&](QueryParams& q) { query = take_task_query(q); });
  if (!level) return;
  read(ctx, call, *level, [query](store::Reader& reader) {
    store::TaskPage page = reader.list_tasks(query);
    return json_response(200, store::task_list_body(page.items, page.next_cursor));
  });
}

void task_history(const Context& ctx, const std::shared_ptr<Call>& call) {
  auto id = task_id(call);
  if (!id) return;
  auto level = read_params(call);
  if (!level) return;
  read(ctx, call, *level, [id = *id](store::Reader& reader) {
    auto items = reader.task_history(id);
    if (!items) return task_not_found(std::to_string(id));
    return json_response(200, store::history_body(*items));
  });
}

}  // namespace

std::vector<Route> task_routes() {
  return {
      {"POST", "/v1/tasks", Access::kUser, create_task},
      {"GET", "/v1/tasks", Access::kUser, list_tasks},
      {"GET", "/v1/tasks/{id}", Access::kUser, get_task},
      {"PATCH", "/v1/tasks/{id}", Access::kUser, update_task},
      {"DELETE", "/v1/tasks/{id}", Access::kUser, delete_task},
      {"GET", "/v1/tasks/{id}/history", Access::kUser, task_history},
  };
}

}  // namespace taskraft::api

// The benchmark's task (see bench_task.h).
#include "cli/bench_task.h"

namespace taskraft::cli {
namespace {

constexpr const char* kProject = "bench";

}  // namespace

std::string bench_title(unsigned client, std::uint64_t seq) {
  return "bench " + std::to_string(client) + "-" + std::to_string(seq);
}

std::string bench_description(std::size_t payload) {
  static constexpr std::string_view kText = "the quick brown fox jumps over the lazy dog ";
  std::string out;
  out.reserve(payload);
  while (out.size() < payload) out += kText.substr(0, payload - out.size());
  return out;
}

boost::json::object bench_task_body(std::string title, std::string description) {
  return {{"title", std::move(title)}, {"description", std::move(description)}, {"priority", "high"}, {"project", kProject}};
}

store::Task bench_task_row(store::TaskId id, std::string title, std::string description, std::string created_by,
                           std::int64_t now_ms) {
  store::Task t;
  t.id = id;
  t.title = std::move(title);
  t.description = std::move(description);
  t.status = store::Status::kTodo;
  t.priority = store::Priority::kHigh;
  t.project = kProject;
  t.created_by = std::move(created_by);
  t.created_at_ms = t.updated_at_ms = now_ms;
  t.version = 1;
  return t;
}

}  // namespace taskraft::cli

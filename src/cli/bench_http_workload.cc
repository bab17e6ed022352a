// The REST API workloads (see bench_http_workload.h).
#include "cli/bench_http_workload.h"

#include <boost/json.hpp>
#include <cassert>
#include <stdexcept>

#include "cli/bench_task.h"
#include "cli/random_key.h"

namespace taskraft::cli {
namespace {

constexpr const char* kPriorities[] = {"low", "medium", "high", "urgent"};

}  // namespace

std::vector<std::string> http_op_names() { return {"create", "update", "get", "get-stale", "list"}; }

std::optional<HttpOp> parse_http_op(std::string_view name) {
  auto names = http_op_names();
  for (unsigned i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<HttpOp>(i);
  }
  return std::nullopt;
}

HttpRequests::HttpRequests(unsigned index, unsigned count, const HttpBenchConfig& config, const SeedPool& pool)
    : index_(index),
      count_(count),
      config_(config),
      pool_(pool),
      authorization_("Bearer " + config.token),
      rng_(index + 1),
      description_(bench_description(config.payload)),
      pick_(config.weights.begin(), config.weights.end()) {}

HttpOp HttpRequests::pick() { return static_cast<HttpOp>(pick_(rng_)); }

HttpRequest HttpRequests::create() {
  boost::json::object body = bench_task_body(bench_title(index_, ++created_), description_);
  return authorized("POST", "/v1/tasks", boost::json::serialize(body));
}

std::size_t HttpRequests::seed_share() const {
  return config_.seed_tasks / count_ + (index_ < config_.seed_tasks % count_ ? 1 : 0);
}

HttpRequest HttpRequests::settle_probe() const {
  assert(!pool_.ids.empty());
  return authorized("GET", "/v1/tasks/" + std::to_string(pool_.ids.front()) +
                               "?min_index=" + std::to_string(pool_.last_index));
}

HttpRequest HttpRequests::build(HttpOp op) {
  switch (op) {
    case HttpOp::kCreate:
      return create();
    case HttpOp::kUpdate: {
      boost::json::object body{{"priority", kPriorities[++updated_ % 4]}, {"description", description_}};
      return authorized("PATCH", random_task(), boost::json::serialize(body));
    }
    case HttpOp::kGet:
      return authorized("GET", random_task());
    case HttpOp::kGetStale:
      return authorized("GET", random_task() + "?consistency=stale");
    case HttpOp::kList:
      return authorized("GET", "/v1/tasks?limit=" + std::to_string(config_.list_limit));
    case HttpOp::kCount:
      break;
  }
  throw std::logic_error("no such operation");
}

HttpRequest HttpRequests::authorized(std::string method, std::string target, std::string body) const {
  HttpRequest r{std::move(method), std::move(target), {{"Authorization", authorization_}}, std::move(body)};
  if (config_.idempotency_keys && r.method != "GET") r.headers.emplace_back("Idempotency-Key", random_key());
  return r;
}

std::string HttpRequests::random_task() {
  assert(!pool_.ids.empty());  // the command seeds tasks for every workload that reads them
  std::uniform_int_distribution<std::size_t> any(0, pool_.ids.size() - 1);
  return "/v1/tasks/" + std::to_string(pool_.ids[any(rng_)]);
}

Outcome outcome(HttpOp op, int status, std::optional<TransportError::Kind> failure) {
  Outcome out{static_cast<unsigned>(op), 1, {}};
  if (failure) {
    out.error = TransportError::name(*failure);
  } else if (status != (op == HttpOp::kCreate ? 201 : 200)) {
    out.error = "http " + std::to_string(status);
  }
  return out;
}

}  // namespace taskraft::cli

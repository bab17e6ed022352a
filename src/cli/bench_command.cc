// `taskraft bench`: the load generator against the cluster (event loops on --threads threads,
// bench_http_execution.h), and the plain-MariaDB baseline (`--baseline-mysql DSN`, a thread per
// client, bench_blocking_execution.h), with the same clock, counting and figures
// (bench_runner.h, bench_report.h).
//
// Guarantees: options are checked before anything is sent (UsageError); the cluster run logs in
// once and shares the token; clients are spread round-robin over --nodes, or all sent to the
// node that leads when the run starts (--leader-only); the figures are printed on stdout and,
// with --json FILE, written there too.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <memory>

#include "cli/bench_blocking_execution.h"
#include "cli/bench_http_execution.h"
#include "cli/bench_mysql_worker.h"
#include "cli/bench_report.h"
#include "cli/command_context.h"
#include "cli/failure.h"
#include "store/rules.h"

namespace taskraft::cli {
namespace {

struct BenchOptions {
  std::string workload = "create";
  unsigned clients = 16;
  unsigned threads = 1;
  std::optional<double> duration;
  std::optional<std::uint64_t> requests;
  std::size_t payload = 200;
  bool leader_only = false;
  std::optional<double> rate;
  std::string json_file;
  std::string mix = "create=10,update=10,get=60,get-stale=10,list=10";
  std::size_t seed_tasks = 1000;
  unsigned list_limit = 20;
  bool idempotency_keys = false;
  double request_timeout = 10;
  std::string baseline_dsn;
  unsigned batch = 1;

  RunPlan plan(std::string label) const {
    RunPlan p{std::move(label), duration, requests, rate};
    if (!p.requests && !p.duration_s) p.duration_s = 10;
    return p;
  }
};

using Weights = decltype(HttpBenchConfig::weights);

Weights parse_mix(std::string_view text) {
  Weights w{};
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    auto eq = item.find('=');
    auto op = parse_http_op(item.substr(0, eq));
    unsigned weight = 0;
    std::string_view number = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), weight);
    if (!op || number.empty() || ec != std::errc() || end != number.data() + number.size()) {
      throw UsageError("--mix: '" + std::string(item) + "' is not OPERATION=WEIGHT (operations: create, update, get, get-stale, list)");
    }
    w[static_cast<unsigned>(*op)] = weight;
  }
  if (std::all_of(w.begin(), w.end(), [](unsigned x) { return x == 0; })) throw UsageError("--mix: every weight is 0");
  return w;
}

Weights workload_weights(const BenchOptions& o) {
  if (o.workload == "mix") return parse_mix(o.mix);
  auto op = parse_http_op(o.workload);
  if (!op) throw UsageError("unknown workload '" + o.workload + "' (create, update, get, get-stale, list, mix)");
  Weights w{};
  w[static_cast<unsigned>(*op)] = 1;
  return w;
}

void report(const BenchOptions& o, const RunSetup& setup, RunFigures& figures) {
  print_report(setup, figures);
  if (!o.json_file.empty()) write_json(o.json_file, setup, figures);
}

std::vector<NodeAddress> leader_only(ApiSession& session) {
  boost::json::value view = session.get("/v1/cluster");
  const boost::json::value& leader = view.at("leader_id");
  if (leader.is_null()) throw UnavailableError("--leader-only: the cluster has no leader now");
  for (const boost::json::value& n : view.at("nodes").as_array()) {
    if (n.at("id") != leader) continue;
    auto address = parse_node(n.at("http_addr").as_string());
    if (!address) throw UnavailableError("--leader-only: the leader's address is not host:port");
    return {*address};
  }
  throw UnavailableError("--leader-only: the leader is not among the members");
}

void bench_cluster(const GlobalOptions& g, const BenchOptions& o) {
  HttpBenchConfig config;
  config.weights = workload_weights(o);
  config.payload = o.payload;
  config.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.request_timeout * 1000));
  config.idempotency_keys = o.idempotency_keys;
  config.list_limit = o.list_limit;
  bool reads_tasks = config.weights[static_cast<unsigned>(HttpOp::kUpdate)] ||
                     config.weights[static_cast<unsigned>(HttpOp::kGet)] ||
                     config.weights[static_cast<unsigned>(HttpOp::kGetStale)];
  if (reads_tasks && o.seed_tasks == 0) throw UsageError("workload " + o.workload + " needs --seed-tasks of at least 1");
  config.seed_tasks = reads_tasks || config.weights[static_cast<unsigned>(HttpOp::kList)] ? o.seed_tasks : 0;

  ApiSession session = open_session(g);
  config.token = session.token();
  std::vector<NodeAddress> nodes = o.leader_only ? leader_only(session) : g.node_list();
  std::vector<NodeAddress> client_nodes;
  for (unsigned i = 0; i < o.clients; ++i) client_nodes.push_back(nodes[i % nodes.size()]);
  std::string target;
  for (const NodeAddress& n : nodes) target += (target.empty() ? "" : ",") + n.url();
  if (o.leader_only) target += " (leader only)";
  auto execution = http_execution(std::move(config), std::move(client_nodes), o.threads);
  RunFigures figures = run_bench(o.plan(o.workload), *execution, http_op_names());
  report(o, {o.workload, target, o.clients, o.payload, 1, o.rate}, figures);
}

void bench_mysql(const BenchOptions& o) {
  auto dsn = baseline_dsn(o.baseline_dsn);
  if (!dsn) throw UsageError("--baseline-mysql: not a DSN mysql://user:password@host:port/database");
  MysqlWorkerSet set(*dsn, o.payload, o.batch);
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < o.clients; ++i) workers.push_back(set.make(i));
  BlockingExecution execution(std::move(workers));
  RunFigures figures = run_bench(o.plan("baseline-mysql"), execution, {"insert"});
  report(o, {"baseline-mysql", store::describe(*dsn), o.clients, o.payload, o.batch, o.rate}, figures);
}

}  // namespace

void add_bench_command(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* b = add_action(app, "bench", "load the cluster (or a plain MariaDB) and print throughput and latency", ctx,
                           [&ctx, o] { o->baseline_dsn.empty() ? bench_cluster(ctx.global, *o) : bench_mysql(*o); });
  b->add_option("WORKLOAD", o->workload, "create, update, get, get-stale, list or mix")->capture_default_str();
  b->add_option("--clients,-c", o->clients, "concurrent clients, each with its own connection")
      ->capture_default_str()
      ->check(CLI::Range(1u, 4096u));
  auto* threads = b->add_option("--threads", o->threads, "threads running the clients' event loops (cluster workloads)")
                      ->capture_default_str()
                      ->check(CLI::Range(1u, 64u));
  auto* duration = b->add_option("--duration", o->duration, "seconds to run (default 10)")->check(CLI::PositiveNumber);
  b->add_option("--requests", o->requests, "operations to run in total, instead of --duration")
      ->check(CLI::PositiveNumber)
      ->excludes(duration);
  b->add_option("--payload", o->payload, "description bytes of each created or updated task")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, store::kMaxDescription));
  b->add_flag("--leader-only", o->leader_only, "send every client to the leader (default: spread over --nodes)");
  b->add_option("--rate", o->rate, "open loop: start this many operations per second in total")->check(CLI::PositiveNumber);
  b->add_option("--json", o->json_file, "also write the figures as JSON to this file");
  b->add_option("--mix", o->mix, "weights of the mix workload")->capture_default_str();
  b->add_option("--seed-tasks", o->seed_tasks, "tasks created before the clock starts, for update/get/list")
      ->capture_default_str();
  b->add_option("--list-limit", o->list_limit, "page size of the list workload")->capture_default_str()->check(CLI::Range(1u, 500u));
  b->add_flag("--idempotency-keys", o->idempotency_keys, "send an Idempotency-Key with every write");
  b->add_option("--request-timeout", o->request_timeout, "seconds before one request counts as a timeout")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  b->add_option("--baseline-mysql", o->baseline_dsn,
                "instead of the cluster: insert the same rows into this MariaDB (mysql://root@127.0.0.1:3306/db)")
      ->excludes(threads);
  b->add_option("--batch", o->batch, "baseline: rows per transaction (1: autocommit)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10000u));
}

}  // namespace taskraft::cli

// The benchmark's event-loop execution (cli/bench_http_execution.h) under the shared runner
// (cli/bench_runner.h), against a scripted in-process HTTP server: flow control, pacing,
// counting and error recovery. Bounds are generous: the machine may be busy.
#include "cli/bench_http_execution.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "canned_http_server.h"
#include "cli/failure.h"

namespace taskraft::cli {
namespace {

using namespace std::chrono_literals;
using test::CannedHttpServer;
using test::CannedReply;
using test::CannedRequest;

HttpBenchConfig config_for(HttpOp op, std::chrono::milliseconds timeout = 5s) {
  HttpBenchConfig c;
  c.weights[static_cast<unsigned>(op)] = 1;
  c.token = "token";
  c.timeout = timeout;
  return c;
}

RunFigures run(const HttpBenchConfig& config, const NodeAddress& node, unsigned clients, unsigned threads,
               RunPlan plan) {
  auto execution = http_execution(config, std::vector<NodeAddress>(clients, node), threads);
  return run_bench(plan, *execution, http_op_names());
}

const OpFigures& figures_of(const RunFigures& f, HttpOp op) { return f.ops[static_cast<unsigned>(op)]; }

CannedReply answer(int status, std::chrono::milliseconds delay = 0ms) {
  CannedReply r;
  r.status = status;
  r.delay = delay;
  return r;
}

CannedReply created(std::chrono::milliseconds delay = 0ms) { return answer(201, delay); }

CannedReply hang_up() {
  CannedReply r;
  r.hang_up = true;
  return r;
}

TEST(BenchHttpExecution, ClosedLoopHasAtMostOneRequestPerClientInFlightAndCountsEveryAnswer) {
  CannedHttpServer server([](const CannedRequest&) { return created(2ms); });
  RunFigures f = run(config_for(HttpOp::kCreate), server.address(), 8, 2, {"t", std::nullopt, 400, std::nullopt});
  const OpFigures& create = figures_of(f, HttpOp::kCreate);
  EXPECT_EQ(create.ok, 400u);
  EXPECT_EQ(create.latencies_ns.size(), 400u);
  EXPECT_TRUE(create.errors.empty());
  EXPECT_EQ(server.requests(), 400);
  EXPECT_LE(server.in_flight_max(), 8);
  EXPECT_GE(server.in_flight_max(), 2);  // the clients did overlap
  EXPECT_EQ(server.connections(), 8);    // one kept-alive connection each
}

TEST(BenchHttpExecution, RequestsStopsAfterExactlyThatManyOperations) {
  CannedHttpServer server([](const CannedRequest&) { return created(); });
  RunFigures f = run(config_for(HttpOp::kCreate), server.address(), 5, 3, {"t", std::nullopt, 37, std::nullopt});
  EXPECT_EQ(figures_of(f, HttpOp::kCreate).ok, 37u);
  EXPECT_EQ(server.requests(), 37);
}

// 4 clients at 40/s in all: each is due every 100 ms; the server takes 90 ms. A client that
// waited for each answer before counting its interval would start about 21 in a second; the
// margin below 40 leaves room for a test machine busy with other tests (250 ms of stalls).
TEST(BenchHttpExecution, OpenLoopKeepsTheOfferedRateWhenTheServerIsSlow) {
  CannedHttpServer server([](const CannedRequest&) { return created(90ms); });
  RunFigures f = run(config_for(HttpOp::kCreate), server.address(), 4, 1, {"t", 1.0, std::nullopt, 40.0});
  const OpFigures& create = figures_of(f, HttpOp::kCreate);
  EXPECT_LE(create.ok, 40u);  // due within the second
  EXPECT_GE(create.ok, 30u);
  EXPECT_TRUE(create.errors.empty());
  for (std::int64_t ns : create.latencies_ns) EXPECT_GE(ns, 90'000'000);
}

// One client due every 20 ms against a server taking 50 ms: each operation starts later than it
// was due, and its latency counts from the due time: the 10th is about 320 ms late.
TEST(BenchHttpExecution, OpenLoopLatencyCountsFromTheDueTime) {
  CannedHttpServer server([](const CannedRequest&) { return created(50ms); });
  RunFigures f = run(config_for(HttpOp::kCreate), server.address(), 1, 1, {"t", std::nullopt, 10, 50.0});
  const OpFigures& create = figures_of(f, HttpOp::kCreate);
  ASSERT_EQ(create.ok, 10u);
  std::int64_t worst = *std::max_element(create.latencies_ns.begin(), create.latencies_ns.end());
  EXPECT_GE(worst, 250'000'000);  // a latency measured from the send would stay near 50 ms
}

TEST(BenchHttpExecution, ErrorsAreCountedByReasonAndTheClientReconnects) {
  CannedHttpServer server([](const CannedRequest& r) {
    if (r.number == 2) return answer(500);
    if (r.number == 4) return hang_up();
    if (r.number == 6) return created(2s);  // beyond the request timeout
    return created();
  });
  RunFigures f = run(config_for(HttpOp::kCreate, 200ms), server.address(), 1, 1, {"t", std::nullopt, 8, std::nullopt});
  const OpFigures& create = figures_of(f, HttpOp::kCreate);
  EXPECT_EQ(create.ok, 5u);
  EXPECT_EQ(create.errors, (std::map<std::string, std::uint64_t>{{"http 500", 1}, {"lost", 1}, {"timeout", 1}}));
  EXPECT_EQ(server.requests(), 8);
  EXPECT_EQ(server.connections(), 3);  // the first, then a new one after the hang-up and after the timeout
}

TEST(BenchHttpExecution, AResendableRequestLostOnAReusedConnectionIsSentOnceMore) {
  CannedHttpServer server([](const CannedRequest& r) { return r.number == 2 ? hang_up() : created(); });
  HttpBenchConfig config = config_for(HttpOp::kCreate);
  config.idempotency_keys = true;
  RunFigures f = run(config, server.address(), 1, 1, {"t", std::nullopt, 3, std::nullopt});
  EXPECT_EQ(figures_of(f, HttpOp::kCreate).ok, 3u);
  EXPECT_TRUE(figures_of(f, HttpOp::kCreate).errors.empty());
  EXPECT_EQ(server.requests(), 4);
}

TEST(BenchHttpExecution, ReadsGoToTheSeededTasksOnceEveryNodeHasThem) {
  std::mutex mutex;
  std::set<std::string> targets;
  CannedHttpServer server([&](const CannedRequest& r) {
    if (r.method == "POST") {
      CannedReply seeded = created();
      seeded.body = R"({"id":)" + std::to_string(100 + r.number) + "}";
      seeded.raft_index = std::to_string(r.number);
      return seeded;
    }
    std::lock_guard lock(mutex);
    targets.insert(r.target);
    return answer(200);
  });
  HttpBenchConfig config = config_for(HttpOp::kGet);
  config.seed_tasks = 6;
  RunFigures f = run(config, server.address(), 3, 2, {"t", std::nullopt, 30, std::nullopt});
  EXPECT_EQ(figures_of(f, HttpOp::kGet).ok, 30u);
  std::lock_guard lock(mutex);
  int probes = 0;
  for (const std::string& t : targets) {
    int id = std::stoi(t.substr(std::string("/v1/tasks/").size()));
    EXPECT_TRUE(id >= 101 && id <= 106) << t;
    auto query = t.find('?');
    if (query == std::string::npos) continue;
    EXPECT_EQ(t.substr(query), "?min_index=6") << t;  // the settle probe waits for the highest index
    ++probes;
  }
  EXPECT_GE(probes, 1);
}

TEST(BenchHttpExecution, AnUnhealthyNodeStopsTheRunBeforeTheClock) {
  CannedHttpServer server([](const CannedRequest&) { return created(); });
  // /healthz is always 200 on the canned server: a node nothing listens on stands for the unhealthy one.
  NodeAddress nowhere = server.address();
  nowhere.port = 1;
  auto execution = http_execution(config_for(HttpOp::kCreate, 500ms), {server.address(), nowhere}, 1);
  EXPECT_THROW(run_bench({"t", std::nullopt, 5, std::nullopt}, *execution, http_op_names()), UnavailableError);
  EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace taskraft::cli

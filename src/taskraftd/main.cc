// taskraftd: one node of a taskraft cluster. Parses the operator interface (API.md), starts the
// node and its REST API, and stops cleanly on SIGTERM or SIGINT: the API stops taking requests,
// in-flight applies finish, and the process exits 0. Misconfiguration exits non-zero with one
// line saying what is wrong.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cassert>
#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

#include "api/hmac.h"
#include "api/server.h"
#include "api/metrics.h"
#include "api/token.h"
#include "node/config.h"
#include "node/node.h"
#include "taskraftd/bootstrap_admin.h"
#include "taskraftd/join.h"

using namespace taskraft;

namespace {

void setup_logging(const node::NodeConfig& c) {
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  std::string id = std::to_string(c.id);
  if (c.log_json) {
    spdlog::set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","node":)" + id + R"(,"level":"%l","msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ [node " + id + "] %l %v", spdlog::pattern_time_type::utc);
  }
}

std::string join_token(const node::NodeConfig& c) {
  auto exp = std::chrono::system_clock::now() + std::chrono::minutes(5);
  api::Claims claims{"node-" + std::to_string(c.id), store::Role::kAdmin,
                     std::chrono::duration_cast<std::chrono::milliseconds>(exp.time_since_epoch()).count()};
  return api::sign_token(api::Hmac(c.cluster_secret), claims);
}

int fail(const std::string& line) {
  std::fprintf(stderr, "taskraftd: %s\n", line.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = node::parse_config(argc, argv);
  if (auto* e = std::get_if<node::ParseExit>(&parsed)) return e->code;
  if (auto* e = std::get_if<node::ParseError>(&parsed)) {
    std::fprintf(stderr, "taskraftd: %s\n", e->message.c_str());
    return 2;
  }
  const auto& cfg = std::get<node::NodeConfig>(parsed);
  setup_logging(cfg);

  // Every thread started from here on inherits the blocked signals; main waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    const bool joining = !cfg.join_url.empty() && !node::Node::initialised(cfg.data_dir);
    std::optional<node::JoinInfo> join;
    if (joining) {
      join = daemon::fetch_join_info(cfg.join_url, join_token(cfg));
      join->members[cfg.id] = node::MemberAddrs{cfg.peer_addr, cfg.http_addr};
    }

    node::Node node(cfg, join);
    api::Server server(api::Config{cfg.http_addr, node, cfg.mysql, cfg.cluster_secret, cfg.id});
    // fdatasync takes tens of microseconds to milliseconds, a write's way through consensus and
    // the apply thread hundreds of microseconds up: finer buckets than request latency.
    const std::vector<double> fine = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
    auto& wal_syncs = server.metrics().histogram("taskraft_wal_sync_duration_seconds", "time of each WAL fdatasync", fine);
    node.observe_wal_syncs([&wal_syncs](double seconds) { wal_syncs.observe(seconds); });
    auto& decided = server.metrics().histogram(
        "taskraft_write_decided_duration_seconds",
        "time from a write's proposal on this node to its outcome: replication, commit and the apply queue", fine);
    node.observe_writes_decided([&decided](double seconds) { decided.observe(seconds); });
    node.start();
    // The node's gauges come from one sample of its status per scrape (node.gauges() copies the
    // raft loop's status: once, not once per gauge).
    std::vector<api::metrics::Gauge*> node_gauges;
    for (const auto& [name, value] : node.gauges()) {
      node_gauges.push_back(&server.metrics().gauge("taskraft_" + name, name));
    }
    server.metrics().on_render([&node, node_gauges] {
      const auto sample = node.gauges();
      assert(sample.size() == node_gauges.size() && "Node::gauges() lists the same gauges every time");
      for (std::size_t i = 0; i < sample.size(); ++i) node_gauges[i]->set(sample[i].second);
    });
    server.start();
    // A join that did not finish (stopped before the cluster took the request, or refused for
    // good) is asked again on each start until the node has learnt a membership.
    if (!cfg.join_url.empty() && (joining || !node.knows_membership()))
      daemon::request_membership(cfg.join_url, join_token(cfg), cfg.id, cfg.peer_addr, cfg.http_addr);
    std::optional<daemon::BootstrapAdmin> admin;
    if (cfg.admin_password) admin.emplace(node, cfg.mysql, *cfg.admin_password);

    spdlog::info("taskraftd {} started: cluster {}, peers on {}, HTTP on {}", TASKRAFT_VERSION,
                 node.cluster_id(), cfg.peer_addr, cfg.http_addr);
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("received {}: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    admin.reset();
    server.stop();
    node.stop();
    spdlog::info("stopped");
    return 0;
  } catch (const node::StartError& e) {
    return fail(e.what());
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

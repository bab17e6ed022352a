// Throughput of the pure Raft core: a 3-node cluster in memory, messages handed from core to core
// directly, no I/O and no serialization. Measures entries committed (and handed out for applying
// on the leader) per second, with N proposals per Ready cycle: 1 (unbatched), 256 and 4096.
// Payloads are 100 bytes. Logs are compacted as the state machines "apply", so memory stays flat.
#include <benchmark/benchmark.h>

#include <string>
#include <utility>
#include <vector>

#include "raft/raft.h"

namespace {

using namespace taskraft::raft;

class BenchCluster {
 public:
  BenchCluster() {
    for (NodeId id = 1; id <= 3; ++id) {
      Config c;
      c.id = id;
      c.seed = id;
      c.max_inflight_msgs = 256;
      InitialState init;
      init.snapshot.conf.voters = {1, 2, 3};
      nodes_.emplace_back(c, init);
    }
    nodes_[0].campaign();
    run();
  }

  Raft& leader() { return nodes_[0]; }

  // Ready cycles and deliveries until the cluster is quiet; returns entries applied on the leader.
  std::size_t run() {
    std::size_t applied = 0;
    for (;;) {
      bool any = false;
      for (std::size_t i = 0; i < nodes_.size(); ++i) {
        Raft& r = nodes_[i];
        if (!r.has_ready()) continue;
        any = true;
        Ready rd = r.ready();
        for (Message& m : rd.send_now) queue_.push_back(std::move(m));
        for (Message& m : rd.send_after_persist) queue_.push_back(std::move(m));
        if (i == 0) applied += rd.committed.size();
        if (!rd.committed.empty()) last_applied_[i] = rd.committed.back().index;
        r.advance(rd);
      }
      if (queue_.empty() && !any) break;
      std::vector<Message> batch;
      batch.swap(queue_);
      for (Message& m : batch) nodes_[m.to - 1].step(std::move(m));
    }
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (last_applied_[i] > kKeep) nodes_[i].compact(last_applied_[i] - kKeep);
    }
    return applied;
  }

 private:
  static constexpr Index kKeep = 10000;
  std::vector<Raft> nodes_;
  std::vector<Message> queue_;
  Index last_applied_[3] = {0, 0, 0};
};

void BM_CommitEntries(benchmark::State& state) {
  const auto per_cycle = static_cast<std::size_t>(state.range(0));
  BenchCluster cluster;
  const std::string payload(100, 'p');
  std::size_t committed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < per_cycle; ++i) {
      if (cluster.leader().propose(payload).error != Error::kOk) state.SkipWithError("propose failed");
    }
    committed += cluster.run();
  }
  state.counters["entries/s"] = benchmark::Counter(static_cast<double>(committed), benchmark::Counter::kIsRate);
  state.counters["per_cycle"] = static_cast<double>(per_cycle);
}

BENCHMARK(BM_CommitEntries)->Arg(1)->Arg(256)->Arg(4096)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();

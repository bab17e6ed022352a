// raft_sim: the command line of the deterministic cluster simulator.
//
//   raft_sim --seed S [--nodes 1|3|5] [--faults MIX] [-v]   replays one run (-v: step trace)
//   raft_sim --seeds N [--first-seed S] [--nodes K] [--faults MIX]
//                                                            runs N seeds, cycling through the
//                                                            cluster sizes and fault mixes unless
//                                                            they are fixed; prints progress and a
//                                                            summary table
// MIX is none, network, crashes, partitions, membership or all. --ticks T fixes the length of the
// fault phase; --no-durability-checks leaves the persistence contract to the safety properties.
// Every failure prints its seed and the one-line command that replays it, also when the core
// aborts on an assert; the exit status is non-zero when any run failed.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <unistd.h>

#include "simulation.h"

namespace {

using taskraft::sim::FaultMix;
using taskraft::sim::RunConfig;
using taskraft::sim::RunResult;
using taskraft::sim::RunStats;

struct Options {
  RunConfig run;
  bool have_seed = false;
  std::uint64_t seeds = 0;  // > 0: a batch
  std::optional<std::uint64_t> first_seed;
  bool fixed_nodes = false;
  bool fixed_faults = false;
};

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --seed S [--nodes 1|3|5] [--faults MIX] [--ticks T] [-v]\n"
               "       %s --seeds N [--first-seed S] [--nodes 1|3|5] [--faults MIX]\n"
               "MIX: none network crashes partitions membership all\n"
               "--no-durability-checks: do not check the persistence contract at every send\n",
               argv0, argv0);
  std::exit(2);
}

std::uint64_t number(const char* argv0, const char* s) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (!s[0] || *end) usage(argv0);
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(argv[0]);
      return argv[++i];
    };
    if (a == "--seed") {
      o.run.seed = number(argv[0], value());
      o.have_seed = true;
    } else if (a == "--seeds") {
      o.seeds = number(argv[0], value());
    } else if (a == "--first-seed") {
      o.first_seed = number(argv[0], value());
    } else if (a == "--nodes") {
      o.run.nodes = static_cast<int>(number(argv[0], value()));
      if (o.run.nodes != 1 && o.run.nodes != 3 && o.run.nodes != 5) usage(argv[0]);
      o.fixed_nodes = true;
    } else if (a == "--faults") {
      const auto mix = taskraft::sim::parse_fault_mix(value());
      if (!mix) usage(argv[0]);
      o.run.faults = *mix;
      o.fixed_faults = true;
    } else if (a == "--ticks") {
      o.run.fault_ticks = static_cast<int>(number(argv[0], value()));
    } else if (a == "-v" || a == "--verbose") {
      o.run.verbose = true;
    } else if (a == "--no-durability-checks") {
      o.run.durability_checks = false;
    } else {
      usage(argv[0]);
    }
  }
  if (o.have_seed == (o.seeds > 0)) usage(argv[0]);
  return o;
}

std::string replay_command(const char* argv0, const RunConfig& r) {
  std::string cmd = std::string(argv0) + " --seed " + std::to_string(r.seed) + " --nodes " +
                    std::to_string(r.nodes) + " --faults " + taskraft::sim::to_string(r.faults);
  if (r.fault_ticks > 0) cmd += " --ticks " + std::to_string(r.fault_ticks);
  if (!r.durability_checks) cmd += " --no-durability-checks";
  return cmd + " -v";
}

// What the abort handler prints: the core's asserts abort the process, and the seed must still
// be reported.
char g_abort_note[512];

void on_fatal_signal(int sig) {
  const ssize_t ignored = write(STDERR_FILENO, g_abort_note, std::strlen(g_abort_note));
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void arm_abort_note(const char* argv0, const RunConfig& r) {
  std::snprintf(g_abort_note, sizeof g_abort_note,
                "\nFAIL seed %llu (%d nodes, faults %s): the process died (assert or crash)\n"
                "  replay: %s\n",
                static_cast<unsigned long long>(r.seed), r.nodes, taskraft::sim::to_string(r.faults),
                replay_command(argv0, r).c_str());
}

void report_failure(const char* argv0, const RunConfig& r, const RunResult& res) {
  std::printf("FAIL seed %llu (%d nodes, faults %s): %s\n  replay: %s\n",
              static_cast<unsigned long long>(r.seed), r.nodes, taskraft::sim::to_string(r.faults),
              res.detail.c_str(), replay_command(argv0, r).c_str());
  std::fflush(stdout);
}

int run_one(const char* argv0, const RunConfig& r) {
  arm_abort_note(argv0, r);
  const RunResult res = taskraft::sim::run_simulation(r);
  const RunStats& s = res.stats;
  std::printf("seed %llu: %d nodes, faults %s: %s\n  %llu events, %llu elections, %llu/%llu writes "
              "acknowledged, %llu reads served (%llu refused), %llu crashes, %llu snapshots, "
              "%llu membership changes, %llu compactions, converged %.1f ticks after healing\n",
              static_cast<unsigned long long>(r.seed), r.nodes, taskraft::sim::to_string(r.faults),
              res.ok ? "ok" : "FAILED", static_cast<unsigned long long>(s.events),
              static_cast<unsigned long long>(s.elections), static_cast<unsigned long long>(s.acked),
              static_cast<unsigned long long>(s.proposed), static_cast<unsigned long long>(s.reads_ok),
              static_cast<unsigned long long>(s.reads_failed), static_cast<unsigned long long>(s.crashes),
              static_cast<unsigned long long>(s.snapshots),
              static_cast<unsigned long long>(s.conf_changes),
              static_cast<unsigned long long>(s.compactions), s.converge_ticks);
  if (!res.ok) report_failure(argv0, r, res);
  return res.ok ? 0 : 1;
}

struct Row {
  std::uint64_t seeds = 0, failed = 0;
  RunStats sum;
  double max_converge = 0;
};

void add(Row& row, const RunResult& res) {
  ++row.seeds;
  row.failed += res.ok ? 0 : 1;
  const RunStats& s = res.stats;
  row.sum.events += s.events;
  row.sum.elections += s.elections;
  row.sum.acked += s.acked;
  row.sum.reads_ok += s.reads_ok;
  row.sum.crashes += s.crashes;
  row.sum.snapshots += s.snapshots;
  row.sum.conf_changes += s.conf_changes;
  row.sum.partitions += s.partitions;
  if (res.ok) {
    row.sum.converge_ticks += s.converge_ticks;
    row.max_converge = std::max(row.max_converge, s.converge_ticks);
  }
}

void print_table(const std::map<std::tuple<int, int>, Row>& rows, double seconds) {
  std::printf("\n%-5s %-10s %6s %6s | per seed: %8s %6s %7s %6s %6s %6s %6s | %-15s\n", "nodes",
              "faults", "seeds", "failed", "events", "elect", "acked", "reads", "crash", "snaps",
              "confch", "converge avg/max");
  Row total;
  for (const auto& [key, row] : rows) {
    const double n = static_cast<double>(row.seeds);
    const double ok = static_cast<double>(row.seeds - row.failed);
    std::printf("%-5d %-10s %6llu %6llu | %18.0f %6.1f %7.1f %6.1f %6.1f %6.1f %6.1f | %6.1f / %6.1f\n",
                std::get<0>(key), taskraft::sim::to_string(static_cast<FaultMix>(std::get<1>(key))),
                static_cast<unsigned long long>(row.seeds),
                static_cast<unsigned long long>(row.failed), row.sum.events / n,
                row.sum.elections / n, row.sum.acked / n, row.sum.reads_ok / n,
                row.sum.crashes / n, row.sum.snapshots / n, row.sum.conf_changes / n,
                ok > 0 ? row.sum.converge_ticks / ok : 0.0, row.max_converge);
    total.seeds += row.seeds;
    total.failed += row.failed;
  }
  std::printf("total: %llu seeds, %llu failed, %.1f s\n",
              static_cast<unsigned long long>(total.seeds),
              static_cast<unsigned long long>(total.failed), seconds);
}

int run_batch(const char* argv0, const Options& o) {
  const std::uint64_t first =
      o.first_seed ? *o.first_seed : (std::uint64_t{std::random_device{}()} << 32 | std::random_device{}());
  std::printf("[raft_sim] %llu seeds from %llu\n", static_cast<unsigned long long>(o.seeds),
              static_cast<unsigned long long>(first));
  static const int sizes[] = {1, 3, 5};
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::map<std::tuple<int, int>, Row> rows;
  std::uint64_t failed = 0;
  const std::uint64_t step = std::max<std::uint64_t>(1, o.seeds / 10);
  for (std::uint64_t i = 0; i < o.seeds; ++i) {
    RunConfig r = o.run;
    r.seed = first + i;
    if (!o.fixed_nodes) r.nodes = sizes[i % 3];
    if (!o.fixed_faults) r.faults = taskraft::sim::kFaultMixes[(i / 3) % 6];
    arm_abort_note(argv0, r);
    const RunResult res = taskraft::sim::run_simulation(r);
    add(rows[{r.nodes, static_cast<int>(r.faults)}], res);
    if (!res.ok) {
      ++failed;
      report_failure(argv0, r, res);
    }
    if ((i + 1) % step == 0 || i + 1 == o.seeds) {
      std::printf("[raft_sim] %llu/%llu seeds, %llu failed, %.1f s\n",
                  static_cast<unsigned long long>(i + 1), static_cast<unsigned long long>(o.seeds),
                  static_cast<unsigned long long>(failed), elapsed());
      std::fflush(stdout);
    }
  }
  print_table(rows, elapsed());
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::signal(SIGABRT, on_fatal_signal);
  std::signal(SIGSEGV, on_fatal_signal);
  return o.seeds > 0 ? run_batch(argv[0], o) : run_one(argv[0], o.run);
}

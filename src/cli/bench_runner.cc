// Clock, progress line and merge of a benchmark run (see bench_runner.h).
#include "cli/bench_runner.h"

#include <sys/resource.h>

#include <cassert>
#include <cstdio>
#include <latch>
#include <memory>

#include "cli/thread_group.h"

namespace taskraft::cli {
namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// Prints a progress line every second until every thread has ended; returns the per-second
// series. A second cut short by the end of the run gets no line.
std::vector<double> progress(const RunPlan& plan, const Pace& pace, ThreadGroup& group, const Tally* tallies,
                             std::size_t count) {
  std::vector<double> series;
  std::uint64_t previous = 0;
  for (int second = 1;; ++second) {
    auto tick = pace.started() + std::chrono::seconds(second);
    if (group.wait_until(tick)) return series;
    std::uint64_t units = 0, errors = 0;
    for (std::size_t i = 0; i < count; ++i) {
      units += tallies[i].units();
      errors += tallies[i].errors();
    }
    series.push_back(static_cast<double>(units - previous));
    std::fprintf(stderr, "[%s] %3d s: %8.0f/s now, %8.0f/s average, %llu done, %llu errors\n", plan.label.c_str(),
                 second, static_cast<double>(units - previous), static_cast<double>(units) / second,
                 static_cast<unsigned long long>(units), static_cast<unsigned long long>(errors));
    previous = units;
  }
}

}  // namespace

RunFigures run_bench(const RunPlan& plan, Execution& execution, std::vector<std::string> op_names) {
  execution.prepare();
  Pace pace(plan, execution.clients());
  const std::size_t n = execution.threads();
  assert(n > 0);
  auto tallies = std::make_unique<Tally[]>(n);
  std::latch go(1);
  ThreadGroup group(n, [&](std::size_t i) {
    go.wait();
    execution.run(i, pace, tallies[i]);
  });

  RunFigures figures;
  double cpu_start = cpu_seconds();
  pace.start(BenchClock::now());
  go.count_down();
  figures.units_per_second = progress(plan, pace, group, tallies.get(), n);
  group.join();
  figures.elapsed_s = std::chrono::duration<double>(BenchClock::now() - pace.started()).count();
  figures.cpu_s = cpu_seconds() - cpu_start;
  figures.op_names = std::move(op_names);
  figures.ops.resize(figures.op_names.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<OpFigures>& ops = tallies[i].ops();
    assert(ops.size() <= figures.ops.size());
    for (std::size_t op = 0; op < ops.size(); ++op) figures.ops[op].merge(ops[op]);
  }
  return figures;
}

}  // namespace taskraft::cli

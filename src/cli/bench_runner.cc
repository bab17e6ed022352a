// Threads, clock and counting of a benchmark run (see bench_runner.h).
#include "cli/bench_runner.h"

#include <sys/resource.h>

#include <atomic>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <latch>
#include <mutex>
#include <thread>

namespace taskraft::cli {
namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

Clock::duration seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

// What one worker's thread counted; the atomics are read by the progress loop while it runs.
struct alignas(64) Slot {
  std::atomic<std::uint64_t> units{0};
  std::atomic<std::uint64_t> errors{0};
  std::vector<OpFigures> ops;
};

// Runs `step` on every worker, each on a thread of its own; rethrows the first failure.
void on_every_worker(std::vector<std::unique_ptr<Worker>>& workers, void (Worker::*step)()) {
  std::vector<std::exception_ptr> failures(workers.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        (workers[i].get()->*step)();
      } catch (...) {
        failures[i] = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& f : failures) {
    if (f) std::rethrow_exception(f);
  }
}

void merge(OpFigures& into, OpFigures& from) {
  into.latencies_ns.insert(into.latencies_ns.end(), from.latencies_ns.begin(), from.latencies_ns.end());
  into.ok += from.ok;
  into.units += from.units;
  for (const auto& [reason, n] : from.errors) into.errors[reason] += n;
}

}  // namespace

RunFigures run_bench(const RunPlan& plan, std::vector<std::unique_ptr<Worker>>& workers,
                     std::vector<std::string> op_names) {
  assert(!workers.empty() && (plan.duration_s.has_value() != plan.requests.has_value()));
  on_every_worker(workers, &Worker::prepare);
  on_every_worker(workers, &Worker::settle);

  const std::size_t n = workers.size();
  std::vector<Slot> slots(n);
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> tickets{plan.requests ? static_cast<std::int64_t>(*plan.requests) : 0};
  std::mutex mutex;
  std::condition_variable finished_cv;
  std::size_t finished = 0;
  std::latch go(1);
  Clock::time_point start;
  const auto interval = plan.rate ? seconds(static_cast<double>(n) / *plan.rate) : Clock::duration::zero();

  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      Slot& slot = slots[i];
      slot.ops.resize(op_names.size());
      go.wait();
      Clock::time_point due = start + interval * i / n;
      while (!stop.load(std::memory_order_relaxed)) {
        if (plan.requests && tickets.fetch_sub(1, std::memory_order_relaxed) <= 0) break;
        Clock::time_point sent = Clock::now();
        if (plan.rate) {
          std::this_thread::sleep_until(due);
          if (stop.load(std::memory_order_relaxed)) break;
          sent = due;
          due += interval;
        }
        Outcome out = workers[i]->run_one();
        auto latency = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - sent).count();
        assert(out.op < slot.ops.size());
        OpFigures& f = slot.ops[out.op];
        if (out.error.empty()) {
          f.latencies_ns.push_back(latency);
          ++f.ok;
          f.units += out.units;
          slot.units.fetch_add(out.units, std::memory_order_relaxed);
        } else {
          ++f.errors[out.error];
          slot.errors.fetch_add(1, std::memory_order_relaxed);
        }
      }
      std::lock_guard lock(mutex);
      ++finished;
      finished_cv.notify_all();
    });
  }

  RunFigures figures;
  double cpu_start = cpu_seconds();
  start = Clock::now();
  go.count_down();
  const auto end = plan.duration_s ? start + seconds(*plan.duration_s) : Clock::time_point::max();
  std::uint64_t previous = 0;
  for (int second = 1;; ++second) {
    auto tick = start + std::chrono::seconds(second);
    {
      std::unique_lock lock(mutex);
      auto until = stop ? tick : std::min(tick, end);
      if (finished_cv.wait_until(lock, until, [&] { return finished == n; })) break;
    }
    if (Clock::now() >= end) stop = true;
    if (Clock::now() < tick) continue;  // stopped within this second: no progress line for it
    std::uint64_t units = 0, errors = 0;
    for (const Slot& s : slots) {
      units += s.units.load(std::memory_order_relaxed);
      errors += s.errors.load(std::memory_order_relaxed);
    }
    figures.units_per_second.push_back(static_cast<double>(units - previous));
    std::fprintf(stderr, "[%s] %3d s: %8.0f/s now, %8.0f/s average, %llu done, %llu errors\n", plan.label.c_str(),
                 second, static_cast<double>(units - previous), static_cast<double>(units) / second,
                 static_cast<unsigned long long>(units), static_cast<unsigned long long>(errors));
    previous = units;
  }
  for (std::thread& t : threads) t.join();
  figures.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  figures.cpu_s = cpu_seconds() - cpu_start;
  figures.op_names = std::move(op_names);
  figures.ops.resize(figures.op_names.size());
  for (Slot& s : slots) {
    for (std::size_t op = 0; op < s.ops.size(); ++op) merge(figures.ops[op], s.ops[op]);
  }
  return figures;
}

}  // namespace taskraft::cli

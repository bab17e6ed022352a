// The shared clock of a benchmark run (see bench_pace.h).
#include "cli/bench_pace.h"

#include <cassert>

namespace taskraft::cli {
namespace {

BenchClock::duration seconds(double s) {
  return std::chrono::duration_cast<BenchClock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

Pace::Pace(const RunPlan& plan, std::size_t clients)
    : clients_(clients),
      duration_s_(plan.duration_s),
      counted_(plan.requests.has_value()),
      requests_left_(plan.requests ? static_cast<std::int64_t>(*plan.requests) : 0) {
  assert(clients > 0 && plan.duration_s.has_value() != plan.requests.has_value());
  if (plan.rate) interval_ = seconds(static_cast<double>(clients) / *plan.rate);
}

void Pace::start(BenchClock::time_point at) {
  start_ = at;
  if (duration_s_) end_ = at + seconds(*duration_s_);
}

BenchClock::time_point Pace::first_due(std::size_t client) const {
  assert(client < clients_);
  return start_ + interval_ * client / clients_;
}

bool Pace::take(BenchClock::time_point due) {
  if (due >= end_ || BenchClock::now() >= end_) return false;
  return !counted_ || requests_left_.fetch_sub(1, std::memory_order_relaxed) > 0;
}

std::optional<BenchClock::time_point> Turns::next() {
  BenchClock::time_point from = pace_.open_loop() ? due_ : BenchClock::now();
  if (!pace_.take(from)) return std::nullopt;
  due_ += pace_.interval();
  return from;
}

}  // namespace taskraft::cli

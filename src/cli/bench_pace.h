// When the benchmark's clients start their operations and when the run ends: the part of the
// clock every execution style (a thread per client, or an event loop) shares.
//
// Guarantees:
// - Closed loop (no rate): a client's next operation counts from the moment it is started.
//   Open loop (`rate` per second over all clients): client i of N is due every N/rate seconds
//   from start + i/rate, and its operation counts from that due time even when it starts late
//   (no coordinated omission: a server that falls behind shows up as latency, not as a lower
//   offered rate).
// - With a duration, no operation starts at or after the end, nor one due at or after it; with a
//   request count, exactly that many operations start over all clients together (take() is
//   thread-safe).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace taskraft::cli {

using BenchClock = std::chrono::steady_clock;

struct RunPlan {
  std::string label;                  // shown in progress lines
  std::optional<double> duration_s;   // one of these two is set
  std::optional<std::uint64_t> requests;
  std::optional<double> rate;         // operations per second over all clients: open loop
};

class Pace {
 public:
  Pace(const RunPlan& plan, std::size_t clients);

  // Sets the clock's zero; called once, before any client asks for a turn.
  void start(BenchClock::time_point at);
  BenchClock::time_point started() const { return start_; }

  bool open_loop() const { return interval_ != BenchClock::duration::zero(); }
  BenchClock::duration interval() const { return interval_; }  // between one client's due times
  BenchClock::time_point first_due(std::size_t client) const;

  // Whether an operation due at `due` may start now; takes one of the requests when it may.
  bool take(BenchClock::time_point due);

 private:
  std::size_t clients_;
  std::optional<double> duration_s_;
  BenchClock::duration interval_{};
  BenchClock::time_point start_, end_ = BenchClock::time_point::max();
  bool counted_;
  std::atomic<std::int64_t> requests_left_;
};

// One client's turns, made once the pace has started. Use: while (auto from = turns.next()) {
// wait until *from; run one operation; record its latency as now - *from; }
class Turns {
 public:
  Turns(Pace& pace, std::size_t client) : pace_(pace), due_(pace.first_due(client)) {}

  // The moment the next operation counts from (its due time in an open loop, now in a closed
  // one), or nullopt when this client is done.
  std::optional<BenchClock::time_point> next();

 private:
  Pace& pace_;
  BenchClock::time_point due_;
};

}  // namespace taskraft::cli

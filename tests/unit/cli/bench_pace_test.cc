// The shared clock of benchmark runs (cli/bench_pace.h): due times, the end, the request count.
#include "cli/bench_pace.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace taskraft::cli {
namespace {

using namespace std::chrono_literals;

TEST(Pace, AnOpenLoopSpreadsClientsOverTheIntervalAndKeepsTheirSchedule) {
  Pace pace({"t", std::nullopt, 100, 400.0}, 4);  // 4 clients at 400/s: each every 10 ms
  auto start = BenchClock::now() - 1s;            // far behind: every turn is already due
  pace.start(start);
  EXPECT_EQ(pace.interval(), 10ms);
  EXPECT_EQ(pace.first_due(1), start + 2500us);
  Turns turns(pace, 1);
  EXPECT_EQ(turns.next(), start + 2500us);
  EXPECT_EQ(turns.next(), start + 12500us);  // due times do not move when the client is late
}

TEST(Pace, NoOperationStartsOrIsDueAfterTheEnd) {
  Pace pace({"t", 0.05, std::nullopt, 40.0}, 1);  // one client every 25 ms for 50 ms
  pace.start(BenchClock::now());
  Turns turns(pace, 0);
  EXPECT_TRUE(turns.next());
  EXPECT_TRUE(turns.next());
  EXPECT_FALSE(turns.next());  // due at 50 ms, the end
  Pace ended({"t", 0.001, std::nullopt, std::nullopt}, 1);
  ended.start(BenchClock::now() - 1s);
  EXPECT_FALSE(Turns(ended, 0).next());
}

TEST(Pace, ARequestCountIsSharedByAllClientsExactly) {
  Pace pace({"t", std::nullopt, 1000, std::nullopt}, 8);
  pace.start(BenchClock::now());
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < 8; ++c) {
    threads.emplace_back([&, c] {
      Turns turns(pace, c);
      while (turns.next()) ++taken;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(taken, 1000);
}

}  // namespace
}  // namespace taskraft::cli

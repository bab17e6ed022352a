// The propose window (node/propose_window.h): writes wait for others only while enough are in
// flight to make waiting worth it, never longer than the window, and not at all once it is full.
#include <gtest/gtest.h>

#include "node/propose_window.h"

namespace taskraft::node {
namespace {

using std::chrono::microseconds;

constexpr auto kNow = Clock::time_point{} + std::chrono::hours(1);

TEST(ProposeWindow, ALoneWriterIsNeverHeld) {
  ProposeWindow w{microseconds(1000), 16, 4};
  EXPECT_FALSE(w.holds(0, 0)) << "nothing in flight: the client's next write waits for this one";
  EXPECT_FALSE(w.holds(0, w.siblings - 1));
  EXPECT_TRUE(w.holds(0, w.siblings));
}

TEST(ProposeWindow, OnceOneWriteIsHeldTheNextOnesJoinItWhateverIsInFlight) {
  ProposeWindow w{microseconds(1000), 16, 4};
  EXPECT_TRUE(w.holds(1, 0)) << "else a later write would overtake the held ones";
}

TEST(ProposeWindow, AZeroWindowNeverHolds) {
  ProposeWindow w{microseconds(0), 16, 4};
  EXPECT_FALSE(w.holds(0, 1000));
  EXPECT_FALSE(w.holds(3, 1000));
}

TEST(ProposeWindow, HeldWritesGoWhenTheFirstHasWaitedTheWindowOrAtOnceWhenFull) {
  ProposeWindow w{microseconds(1000), 16, 4};
  EXPECT_EQ(w.release_at(1, kNow), kNow + microseconds(1000));
  EXPECT_EQ(w.release_at(15, kNow), kNow + microseconds(1000));
  EXPECT_LE(w.release_at(16, kNow), kNow);
  EXPECT_LE(w.release_at(40, kNow), kNow) << "a relayed kProp may bring many at once";
}

TEST(ProposeWindow, WritesJoinHeldOnesQuietlyUntilTheOneThatFillsIt) {
  ProposeWindow w{microseconds(1000), 16, 4};
  EXPECT_EQ(w.quiet(1), 14u) << "the 16th must wake the caller: the window is full then";
  EXPECT_EQ(w.quiet(15), 0u);
  EXPECT_EQ(w.quiet(40), 0u);
}

}  // namespace
}  // namespace taskraft::node

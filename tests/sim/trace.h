// The step trace of a simulated run (printed with -v) and the small text helpers it needs.
//
// Tracing never influences a run: it only reads state, so a run replays identically with and
// without -v.
#pragma once

#include <cstdint>
#include <string>

#include "raft/types.h"

namespace taskraft::sim {

using Time = std::int64_t;  // virtual time; one nominal clock tick is kTickUnits

inline constexpr Time kTickUnits = 1000;

// printf-style formatting into a std::string.
std::string strf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

std::string describe(const raft::Message& m);
std::string describe(const raft::ConfState& c);
std::string describe(const raft::ConfChange& cc);

class Trace {
 public:
  Trace(bool enabled, const Time& now) : enabled_(enabled), now_(now) {}
  bool enabled() const { return enabled_; }
  // One line, prefixed with the virtual time in ticks, when tracing is on.
  void operator()(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));

 private:
  bool enabled_;
  const Time& now_;
};

}  // namespace taskraft::sim

// A broken invariant found during a simulated run.
//
// The component that detects a violation (checker, storage, state machine, node harness,
// workload) throws it; the simulation stops the run at once and reports the invariant's name,
// the details, the seed and the command that replays it. Bugs in the simulator itself stay
// plain asserts.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace taskraft::sim {

class Violation : public std::runtime_error {
 public:
  Violation(std::string invariant, const std::string& detail)
      : std::runtime_error(invariant + ": " + detail), invariant_(std::move(invariant)) {}
  const std::string& invariant() const { return invariant_; }

 private:
  std::string invariant_;
};

[[noreturn]] inline void violate(std::string invariant, const std::string& detail) {
  throw Violation(std::move(invariant), detail);
}

}  // namespace taskraft::sim

// The ways the task store can fail for reasons outside the state machine's rules.
//
// Business outcomes (404, 409, 412, 422 ...) are never exceptions: they are Outcome values decided
// identically on every node. Exceptions are for what a node must retry or stop on:
// - DbError: MySQL is unreachable or rejected a statement. Whatever the store was doing is rolled
//   back; calling again later (after MySQL is back) is always safe.
// - UnsupportedCommand: a committed command of a newer format than this binary knows. Applying
//   stops before it, with nothing of its batch applied, until the node is upgraded.
// - SnapshotError: a snapshot file that is corrupt, truncated or of another schema version.
#pragma once

#include <stdexcept>
#include <string>

namespace taskraft::store {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DbError : public Error {
 public:
  DbError(unsigned code, const std::string& what) : Error(what), code_(code) {}
  // The MySQL client or server error number (e.g. 2013 lost connection, 1146 no such table).
  unsigned code() const { return code_; }

 private:
  unsigned code_;
};

class UnsupportedCommand : public Error {
 public:
  using Error::Error;
};

class SnapshotError : public Error {
 public:
  using Error::Error;
};

}  // namespace taskraft::store

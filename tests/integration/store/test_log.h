// Builds Raft logs of task commands for the store's tests, as a leader would propose them.
//
// Log appends entries with consecutive indexes (from 1) in the current term; the helpers build
// the commands of API.md requests. Times default to a fixed instant, so that tests are exact.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "command.pb.h"
#include "raft/types.h"
#include "store/membership.h"
#include "store/outcome.h"

namespace taskraft::store::testing {

inline constexpr std::int64_t kT0 = 1795000000000;  // 2026-11-18T11:06:40.000Z

namespace pb = commandpb;

// A command envelope of `actor` at `at_ms`, with no operation yet.
pb::Command command(std::int64_t at_ms = kT0, const std::string& actor = "alice");
pb::Command create_task(const std::string& title, std::int64_t at_ms = kT0, const std::string& actor = "alice");
pb::Command update_task(std::uint64_t id, std::int64_t at_ms = kT0, const std::string& actor = "alice");
pb::Command delete_task(std::uint64_t id, std::int64_t at_ms = kT0, const std::string& actor = "alice");
pb::Command create_user(const std::string& username, pb::UserRole role, std::int64_t at_ms = kT0);
// Sets the idempotency key and the request hash (here simply the given text).
pb::Command& with_key(pb::Command& c, const std::string& key, const std::string& request_hash);

class Log {
 public:
  const raft::Entry& add(const pb::Command& c);
  const raft::Entry& add_raw(std::string data);  // bytes as they are: malformed entries
  const raft::Entry& noop();
  // A conf-change entry whose resulting membership is `m` (as the core would compute it).
  const raft::Entry& add_conf(const Membership& m);
  void set_term(raft::Term term) { term_ = term; }
  raft::Term term() const { return term_; }

  const std::vector<raft::Entry>& entries() const { return entries_; }
  const std::map<raft::Index, Membership>& confs() const { return confs_; }
  // Entries with index in [from, to] (1-based, inclusive).
  std::span<const raft::Entry> range(raft::Index from, raft::Index to) const;
  raft::Index last() const { return entries_.size(); }

 private:
  raft::Term term_ = 1;
  std::vector<raft::Entry> entries_;
  std::map<raft::Index, Membership> confs_;
};

// A log of `n` entries drawn from `seed`: creates, updates (some with If-Match, some of deleted
// tasks), deletes, users (some duplicates), idempotent retries and key reuse, no-ops, malformed
// entries, conf changes, term changes, and a leader clock that sometimes steps back.
Log mixed_log(std::size_t n, std::uint32_t seed);

boost::json::value json(const Outcome& o);

}  // namespace taskraft::store::testing

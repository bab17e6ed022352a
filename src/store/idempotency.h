// Idempotency records: what a request with an Idempotency-Key answered, kept for a day of log time.
//
// Guarantees: records are written in the apply transaction of the request they describe, so a
// record exists exactly when its request's effects do. Keys are scoped per actor. A record older
// than kIdempotencyTtlMs of log time counts as absent whether or not it has been purged yet, so
// outcomes never depend on when a node happened to purge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "raft/types.h"
#include "store/outcome.h"

namespace taskraft::store {

class Connection;

inline constexpr std::int64_t kIdempotencyTtlMs = 24LL * 60 * 60 * 1000;

struct IdempotencyRecord {
  std::string request_hash;
  Outcome outcome;
};

// The live record of (actor, key) at log time `now_ms`, if any.
std::optional<IdempotencyRecord> find_idempotency(Connection& c, std::string_view actor, std::string_view key,
                                                  std::int64_t now_ms);
void record_idempotency(Connection& c, std::string_view actor, std::string_view key,
                        std::string_view request_hash, const Outcome& outcome, std::int64_t at_ms,
                        raft::Index index);
// Deletes the records that expired by `now_ms`.
void purge_idempotency(Connection& c, std::int64_t now_ms);

}  // namespace taskraft::store

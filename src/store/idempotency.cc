// Idempotency records (see idempotency.h).
#include "store/idempotency.h"

#include "store/connection.h"

namespace taskraft::store {
namespace {

// Records at or before this log time are expired at `now_ms`.
std::string expiry_bound(std::int64_t now_ms) { return std::to_string(now_ms - kIdempotencyTtlMs); }

}  // namespace

std::optional<IdempotencyRecord> find_idempotency(Connection& c, std::string_view actor, std::string_view key,
                                                  std::int64_t now_ms) {
  auto r = c.query("SELECT request_hash, http_status, body, content_type FROM idempotency WHERE actor = " +
                   Connection::quote_bytes(actor) + " AND idem_key = " + Connection::quote_bytes(key) +
                   " AND at_ms > " + expiry_bound(now_ms));
  auto row = r.next();
  if (!row) return std::nullopt;
  return IdempotencyRecord{row->str(0), Outcome{static_cast<int>(row->i64(1)), row->str(2), row->str(3)}};
}

void record_idempotency(Connection& c, std::string_view actor, std::string_view key,
                        std::string_view request_hash, const Outcome& outcome, std::int64_t at_ms,
                        raft::Index index) {
  // REPLACE: an expired record of the same key that was not purged yet gives way.
  c.insert_later("REPLACE INTO idempotency (actor, idem_key, request_hash, http_status, content_type, body, at_ms, "
                 "raft_index) VALUES",
                 "(" + Connection::quote_bytes(actor) + ", " + Connection::quote_bytes(key) + ", " +
                 Connection::quote_bytes(request_hash) + ", " + std::to_string(outcome.http_status) + ", " +
                 Connection::quote_bytes(outcome.content_type) + ", " + Connection::quote_bytes(outcome.body) + ", " +
                 std::to_string(at_ms) + ", " + std::to_string(index) + ")");
}

void purge_idempotency(Connection& c, std::int64_t now_ms) {
  c.exec("DELETE FROM idempotency WHERE at_ms <= " + expiry_bound(now_ms));
}

}  // namespace taskraft::store

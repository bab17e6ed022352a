// Timestamps as the API shows them: RFC 3339 in UTC with milliseconds, "2026-12-01T17:00:00.000Z".
//
// The store keeps every time as milliseconds since the Unix epoch (from the log, never a clock).
// Guarantees: format_rfc3339 is exact for years 0001-9999 (kMinTimeMs..kMaxTimeMs);
// parse_rfc3339(format_rfc3339(t)) == t; parse_rfc3339 accepts any RFC 3339 date-time (offset
// or Z, fraction of any length, truncated to milliseconds) and rejects everything else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskraft::store {

inline constexpr std::int64_t kMinTimeMs = -62135596800000;  // 0001-01-01T00:00:00.000Z
inline constexpr std::int64_t kMaxTimeMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

std::string format_rfc3339(std::int64_t ms);
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace taskraft::store

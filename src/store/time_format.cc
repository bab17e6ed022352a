// RFC 3339 rendering and parsing (see time_format.h).
#include "store/time_format.h"

#include <cassert>
#include <chrono>

namespace taskraft::store {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::sys_days;

std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::string format_rfc3339(std::int64_t ms) {
  assert(ms >= kMinTimeMs && ms <= kMaxTimeMs);
  auto tp = std::chrono::sys_time<milliseconds>(milliseconds(ms));
  auto day = std::chrono::floor<days>(tp);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss<milliseconds> hms(tp - day);
  // "YYYY-MM-DDTHH:MM:SS.mmmZ", written digit by digit (every node renders each task this way
  // on every apply; snprintf showed in profiles). kMinTimeMs..kMaxTimeMs keeps years in 1..9999.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t end, unsigned value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i, value /= 10) out[end - i] = static_cast<char>('0' + value % 10);
  };
  put(3, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  put(6, static_cast<unsigned>(ymd.month()), 2);
  put(9, static_cast<unsigned>(ymd.day()), 2);
  put(12, static_cast<unsigned>(hms.hours().count()), 2);
  put(15, static_cast<unsigned>(hms.minutes().count()), 2);
  put(18, static_cast<unsigned>(hms.seconds().count()), 2);
  put(22, static_cast<unsigned>(hms.subseconds().count()), 3);
  return out;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  auto year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  auto hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(*year), std::chrono::month(*month),
                                  std::chrono::day(*day)};
  if (*year < 1 || !ymd.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t fraction_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start < 3) fraction_ms = fraction_ms * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (std::size_t n = pos - start; n < 3; ++n) fraction_ms *= 10;
  }
  std::int64_t offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (!oh || !om || s[pos + 3] != ':' || *oh > 23 || *om > 59) {
      return std::nullopt;
    }
    offset_min = (*oh * 60 + *om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  // A leap second (:60) is read as the following second, as most systems do.
  std::int64_t day_ms = sys_days(ymd).time_since_epoch().count() * 86400000;
  std::int64_t ms = day_ms + ((*hour * 60 + *minute) * 60 + *second) * 1000 + fraction_ms -
                    offset_min * 60000;
  if (ms < kMinTimeMs || ms > kMaxTimeMs) return std::nullopt;
  return ms;
}

}  // namespace taskraft::store

// Query strings of the read routes (see query_params.h).
#include "api/query_params.h"

#include <algorithm>
#include <charconv>

#include "store/cursor.h"
#include "store/percent_encoding.h"
#include "store/rules.h"
#include "store/time_format.h"

namespace taskraft::api {
namespace {

// A query string's text: percent-decoded (store/percent_encoding.h), '+' a space (HTML forms),
// and valid UTF-8.
std::optional<std::string> decode(std::string_view text) {
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');  // before decoding: %2B stays a '+'
  auto out = store::percent_decode(spaced);
  if (!out || !store::utf8_length(*out)) return std::nullopt;
  return out;
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

template <typename T>
std::optional<T> take_parsed(QueryParams& q, std::string_view name, std::optional<T> (*parse)(std::string_view),
                             const char* expected) {
  auto text = q.take(name);
  if (!text) return std::nullopt;
  auto value = parse(*text);
  if (!value) q.error(name, std::string("must be ") + expected);
  return value;
}

}  // namespace

QueryParams::QueryParams(std::string_view query, std::vector<store::FieldError>& errors) : errors_(errors) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = decode(pair.substr(0, eq));
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) {
      error(name.value_or("(parameter)"), "is not valid percent-encoded UTF-8");
      continue;
    }
    values_.emplace(std::move(*name), std::move(*value));
  }
}

std::optional<std::string> QueryParams::take(std::string_view name) {
  auto [first, last] = values_.equal_range(name);
  if (first == last) return std::nullopt;
  std::optional<std::string> value = first->second;
  if (std::next(first) != last) {
    error(name, "must be given at most once");
    value.reset();
  }
  values_.erase(first, last);
  return value;
}

void QueryParams::reject_leftovers() {
  for (const auto& [name, value] : values_) {
    if (errors_.empty() || errors_.back().field != name) error(name, "is not a parameter of this route");
  }
  values_.clear();
}

ReadLevel take_read_level(QueryParams& q) {
  ReadLevel level;
  auto consistency = q.take("consistency");
  if (consistency && *consistency != "linearizable" && *consistency != "stale") {
    q.error("consistency", "must be linearizable or stale");
  }
  auto min_index = take_parsed<std::uint64_t>(q, "min_index", parse_uint, "a log index (a non-negative integer)");
  level.min_index = min_index.value_or(0);
  level.linearizable = consistency ? *consistency == "linearizable" : !min_index.has_value();
  return level;
}

store::TaskQuery take_task_query(QueryParams& q) {
  store::TaskQuery t;
  t.status = take_parsed<store::Status>(q, "status", store::parse_status, "one of todo, in_progress, done");
  t.priority = take_parsed<store::Priority>(q, "priority", store::parse_priority, "one of low, medium, high, urgent");
  t.tag = q.take("tag");
  t.assignee = q.take("assignee");
  t.project = q.take("project");
  t.q = q.take("q");
  constexpr const char* kTime = "an RFC 3339 date-time such as 2026-12-01T17:00:00Z";
  t.due_before_ms = take_parsed<std::int64_t>(q, "due_before", store::parse_rfc3339, kTime);
  t.due_after_ms = take_parsed<std::int64_t>(q, "due_after", store::parse_rfc3339, kTime);
  if (auto sort = take_parsed<store::SortOrder>(
          q, "sort", store::parse_sort,
          "a field (id, created_at, updated_at, due_at, priority, status, title), '-' first for descending")) {
    t.sort = *sort;
  }
  if (auto limit = take_parsed<std::uint64_t>(q, "limit", parse_uint, "an integer from 1 to 500")) {
    if (*limit < 1 || *limit > store::kMaxLimit) {
      q.error("limit", "must be an integer from 1 to 500");
    } else {
      t.limit = *limit;
    }
  }
  t.after = take_parsed<store::Cursor>(q, "cursor", store::decode_cursor, "a next_cursor this API returned");
  return t;
}

}  // namespace taskraft::api

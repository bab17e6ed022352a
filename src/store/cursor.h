// Sort orders of the task listing and the opaque cursors that continue a listing.
//
// A cursor names the listing's sort order and the sort key and id of the last task returned;
// the next page starts strictly after that (key, id) pair (keyset pagination). Because (key, id)
// is unique and totally ordered, tasks that stay put are never skipped nor repeated while other
// tasks are created or deleted between pages. A task whose sort key itself changes between pages
// moves, like in any keyset listing: it may show up again or not at all.
//
// Guarantees: decode_cursor(encode_cursor(c)) == c; decode_cursor rejects (nullopt) anything
// that encode_cursor did not produce, so a garbled cursor is bad input, never a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "store/task.h"

namespace taskraft::store {

enum class SortField : std::uint8_t { kId, kCreatedAt, kUpdatedAt, kDueAt, kPriority, kStatus, kTitle };

struct SortOrder {
  SortField field = SortField::kUpdatedAt;
  bool descending = true;
  friend bool operator==(const SortOrder&, const SortOrder&) = default;
};

// "updated_at" ascending, "-updated_at" descending; fields: id, created_at, updated_at, due_at,
// priority, status, title.
std::optional<SortOrder> parse_sort(std::string_view text);
std::string to_string(SortOrder order);

struct Cursor {
  SortOrder order;
  std::variant<std::int64_t, std::string> key;  // the string only for kTitle
  TaskId id = 0;
  friend bool operator==(const Cursor&, const Cursor&) = default;
};

// The cursor positioned after `t` in `order`.
Cursor cursor_after(const Task& t, SortOrder order);

std::string encode_cursor(const Cursor& c);
std::optional<Cursor> decode_cursor(std::string_view text);

}  // namespace taskraft::store

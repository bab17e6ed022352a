// Sort orders and cursors (see cursor.h). A cursor is the hex form of a small JSON object
// {"s": sort, "k": key, "i": id}: URL-safe and opaque to clients.
#include "store/cursor.h"

#include <array>

#include <boost/json.hpp>

#include "store/hex.h"
#include "store/task_rows.h"

namespace taskraft::store {
namespace {

constexpr std::array<std::pair<SortField, std::string_view>, 7> kFieldNames = {{
    {SortField::kId, "id"},
    {SortField::kCreatedAt, "created_at"},
    {SortField::kUpdatedAt, "updated_at"},
    {SortField::kDueAt, "due_at"},
    {SortField::kPriority, "priority"},
    {SortField::kStatus, "status"},
    {SortField::kTitle, "title"},
}};

}  // namespace

std::optional<SortOrder> parse_sort(std::string_view text) {
  SortOrder order{SortField::kUpdatedAt, false};
  if (text.starts_with('-')) {
    order.descending = true;
    text.remove_prefix(1);
  }
  for (const auto& [field, name] : kFieldNames) {
    if (name == text) {
      order.field = field;
      return order;
    }
  }
  return std::nullopt;
}

std::string to_string(SortOrder order) {
  for (const auto& [field, name] : kFieldNames) {
    if (field == order.field) return (order.descending ? "-" : "") + std::string(name);
  }
  return "";
}

Cursor cursor_after(const Task& t, SortOrder order) {
  Cursor c{order, std::int64_t{0}, t.id};
  switch (order.field) {
    case SortField::kId: c.key = static_cast<std::int64_t>(t.id); break;
    case SortField::kCreatedAt: c.key = t.created_at_ms; break;
    case SortField::kUpdatedAt: c.key = t.updated_at_ms; break;
    case SortField::kDueAt: c.key = t.due_at_ms.value_or(kNoDueDate); break;
    case SortField::kPriority: c.key = static_cast<std::int64_t>(t.priority); break;
    case SortField::kStatus: c.key = static_cast<std::int64_t>(t.status); break;
    case SortField::kTitle: c.key = t.title; break;
  }
  return c;
}

std::string encode_cursor(const Cursor& c) {
  boost::json::object o;
  o["s"] = to_string(c.order);
  if (const auto* s = std::get_if<std::string>(&c.key)) {
    o["k"] = *s;
  } else {
    o["k"] = std::get<std::int64_t>(c.key);
  }
  o["i"] = c.id;
  return hex_encode(boost::json::serialize(o));
}

std::optional<Cursor> decode_cursor(std::string_view text) {
  if (text.size() > 1024) return std::nullopt;
  auto json = hex_decode(text);
  if (!json) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const boost::json::object& o = v.get_object();
  const auto* s = o.if_contains("s");
  const auto* k = o.if_contains("k");
  const auto* i = o.if_contains("i");
  if (o.size() != 3 || !s || !k || !i || !s->is_string()) return std::nullopt;
  auto order = parse_sort(s->get_string());
  if (!order) return std::nullopt;
  Cursor c{*order, std::int64_t{0}, 0};
  if (i->is_uint64()) {
    c.id = i->get_uint64();
  } else if (i->is_int64() && i->get_int64() >= 0) {
    c.id = static_cast<TaskId>(i->get_int64());
  } else {
    return std::nullopt;
  }
  bool text_key = order->field == SortField::kTitle;
  if (text_key && k->is_string()) {
    c.key = std::string(k->get_string());
  } else if (!text_key && k->is_int64()) {
    c.key = k->get_int64();
  } else {
    return std::nullopt;
  }
  return c;
}

}  // namespace taskraft::store

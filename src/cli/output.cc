// Tables and JSON output (see output.h).
#include "cli/output.h"

#include <boost/json.hpp>
#include <iostream>

namespace taskraft::cli {
namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += !continuation(c);
  return n;
}

// `s` with control characters as spaces, cut to `limit` characters (the last one "…").
std::string fit(const std::string& s, std::size_t limit) {
  bool cut = width(s) > limit;
  std::size_t keep = cut ? limit - 1 : limit;
  std::string out;
  std::size_t chars = 0;
  for (unsigned char c : s) {
    if (!continuation(c) && chars++ == keep) break;
    out += c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
  }
  return cut ? out + "…" : out;
}

}  // namespace

void Table::add(std::vector<std::string> row) {
  row.resize(columns_.size());
  for (std::size_t i = 0; i < row.size(); ++i) row[i] = fit(row[i], columns_[i].max_width);
  rows_.push_back(std::move(row));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const Column& c : columns_) widths.push_back(width(c.heading));
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      text += cells[i];
      if (i + 1 < cells.size()) text += std::string(widths[i] - width(cells[i]) + 2, ' ');
    }
    out << text << "\n";
  };
  std::vector<std::string> headings;
  for (const Column& c : columns_) headings.push_back(c.heading);
  line(headings);
  for (const auto& row : rows_) line(row);
}

void print_json(const boost::json::value& v) { std::cout << boost::json::serialize(v) << "\n"; }

std::string cell(const boost::json::value* v) {
  if (!v || v->is_null()) return "-";
  if (v->is_string()) return std::string(v->get_string());
  return boost::json::serialize(*v);
}

}  // namespace taskraft::cli

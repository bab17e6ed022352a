// What commands print: aligned tables for people, JSON for scripts.
//
// Guarantees: a Table pads every column to its widest cell, counting UTF-8 characters (not
// bytes); cells longer than a column's limit are cut with "…", and control characters are shown
// as spaces, so one cell never breaks the layout. print_json writes one JSON document and a
// newline to stdout.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace taskraft::cli {

class Table {
 public:
  struct Column {
    std::string heading;
    std::size_t max_width = 60;
  };
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  void add(std::vector<std::string> row);
  void print(std::ostream& out) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

void print_json(const boost::json::value& v);

// The text of a JSON value for a table cell: strings as they are, null as "-", others as JSON.
std::string cell(const boost::json::value* v);

}  // namespace taskraft::cli

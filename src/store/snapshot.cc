// Snapshot export and import (see snapshot.h; the file format is in snapshot_format.h).
#include "store/snapshot.h"


#include <algorithm>
#include <set>
#include <string>

#include "store/connection.h"
#include "store/error.h"
#include "store/meta.h"
#include "store/schema.h"
#include "store/snapshot_format.h"

namespace taskraft::store {
namespace {

constexpr std::size_t kInsertBytes = 1 << 20;  // multi-row INSERTs of about this size

bool number_text(std::string_view s) {
  if (s.starts_with('-')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::uint64_t header_number(const FrameValues& v, std::size_t i) {
  if (i >= v.size() || !v[i] || !number_text(*v[i]) || v[i]->starts_with('-')) {
    throw SnapshotError("snapshot: bad header");
  }
  return std::stoull(*v[i]);
}

// Builds multi-row INSERTs for one table of the snapshot being imported.
class TableLoader {
 public:
  TableLoader(Connection& c, const FrameValues& table) : c_(c) {
    if (table.size() < 3 || !table[0] || !table[1] || table[1]->size() != table.size() - 2) {
      throw SnapshotError("snapshot: bad table frame");
    }
    kinds_ = *table[1];
    std::string columns;
    for (std::size_t i = 2; i < table.size(); ++i) {
      if (!table[i]) throw SnapshotError("snapshot: bad column name");
      columns += (i > 2 ? ", " : "") + Connection::quote_name(*table[i]);
    }
    insert_ = "INSERT INTO " + Connection::quote_name(*table[0]) + " (" + columns + ") VALUES ";
  }

  void add(const FrameValues& row) {
    if (row.size() != kinds_.size()) throw SnapshotError("snapshot: row of the wrong width");
    std::string tuple = "(";
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) tuple += ", ";
      if (!row[i]) {
        tuple += "NULL";
      } else if (kinds_[i] == 'n') {
        if (!number_text(*row[i])) throw SnapshotError("snapshot: bad number");
        tuple += *row[i];
      } else {
        tuple += Connection::quote_bytes(*row[i]);
      }
    }
    values_ += (values_.empty() ? "" : ", ") + tuple + ")";
    if (values_.size() >= kInsertBytes) flush();
  }

  void flush() {
    if (values_.empty()) return;
    c_.exec(insert_ + values_);
    values_.clear();
  }

 private:
  Connection& c_;
  std::string kinds_;
  std::string insert_;
  std::string values_;
};

}  // namespace

SnapshotInfo export_snapshot(const Dsn& dsn, const std::filesystem::path& path) {
  Connection c(dsn);
  Transaction tx(c, Transaction::Kind::kConsistentSnapshot);
  SnapshotInfo info;
  info.row_format = kRowFormatVersion;
  MetaRow meta = load_meta(c, /*lock=*/false);
  info.applied = {meta.applied_index, meta.applied_term, load_membership(c)};

  SnapshotWriter out(path);
  out.frame('H', {std::to_string(kRowFormatVersion), std::to_string(meta.applied_index),
                  std::to_string(meta.applied_term)});
  for (const TableSpec& table : state_tables()) {
    Result rows = c.stream("SELECT * FROM " + std::string(table.name) + " ORDER BY " + std::string(table.primary_key));
    FrameValues header{std::string(table.name), std::string()};
    for (unsigned i = 0; i < rows.columns(); ++i) header[1]->push_back(rows.column_is_number(i) ? 'n' : 'b');
    for (std::string& name : rows.column_names()) header.emplace_back(std::move(name));
    out.frame('T', header);
    while (auto row = rows.next()) {
      FrameValues values;
      for (unsigned i = 0; i < rows.columns(); ++i) values.push_back(row->opt_str(i));
      out.row(values);
    }
  }
  tx.commit();
  info.checksum = out.commit();
  info.rows = out.rows();
  info.bytes = out.bytes();
  return info;
}

SnapshotInfo import_snapshot(Connection& c, const std::filesystem::path& path) {
  SnapshotReader in(path);
  auto header = in.next();
  if (!header || header->kind != 'H') throw SnapshotError("snapshot: missing header");
  SnapshotInfo info;
  info.row_format = static_cast<int>(header_number(header->values, 0));
  if (info.row_format != kRowFormatVersion) {
    throw SnapshotError("snapshot: row format " + std::to_string(info.row_format) + ", this binary has " +
                        std::to_string(kRowFormatVersion));
  }
  raft::Index index = header_number(header->values, 1);
  raft::Term term = header_number(header->values, 2);

  std::set<std::string> expected;
  for (const TableSpec& table : state_tables()) expected.emplace(table.name);

  Transaction tx(c);
  for (const TableSpec& table : state_tables()) c.exec("DELETE FROM " + std::string(table.name));
  std::optional<TableLoader> loader;
  while (auto frame = in.next()) {
    if (frame->kind == 'T') {
      if (loader) loader->flush();
      if (frame->values.empty() || !frame->values[0] || !expected.erase(*frame->values[0])) {
        throw SnapshotError("snapshot: unexpected or repeated table");
      }
      loader.emplace(c, frame->values);
    } else if (frame->kind == 'R' && loader) {
      loader->add(frame->values);
    } else {
      throw SnapshotError("snapshot: unexpected frame");
    }
  }
  if (loader) loader->flush();
  if (!expected.empty()) throw SnapshotError("snapshot: table " + *expected.begin() + " is missing");

  MetaRow meta = load_meta(c, /*lock=*/true);
  if (meta.applied_index != index || meta.applied_term != term) {
    throw SnapshotError("snapshot: header and meta row disagree on the applied index");
  }
  info.applied = {index, term, load_membership(c)};
  tx.commit();
  info.checksum = in.checksum();
  info.rows = in.rows();
  info.bytes = in.bytes();
  return info;
}

}  // namespace taskraft::store

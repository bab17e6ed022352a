// Connection::quote and quote_bytes on a real MariaDB: every string comes back byte for byte from
// the literal either makes, whatever it holds (the bytes SQL gives a meaning to, every ASCII
// byte, multi-byte UTF-8, a trailing backslash), so no value can end its literal early. Text
// written through a hex literal (as the store writes every text column) is the column's text:
// it compares by the column's collation, and bytes that are not UTF-8 are refused.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "mysql_fixture.h"
#include "store/connection.h"
#include "store/error.h"
#include "store/store.h"

namespace taskraft::store::testing {
namespace {

std::vector<std::string> tricky_values() {
  std::string every_ascii;
  for (int b = 0; b < 0x80; ++b) every_ascii += static_cast<char>(b);
  return {
      "",
      "plain",
      std::string("nul \0 inside", 12),
      "it's \"quoted\"",
      "back\\slash \\' \\\" and a last one\\",
      "lines\r\nand \x1a (ctrl-Z)",
      "'); DROP TABLE quoted; -- ",
      "\xc3\xa9t\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80 \xe5\xad\x97'\\",
      every_ascii,
  };
}

// A table `quoted` with a case-insensitive text column, on a fresh database.
Dsn quoted_table() {
  Dsn dsn = fresh_database();
  { Store store(dsn); }  // creates the database
  exec_sql(dsn, "CREATE TABLE quoted (id INT NOT NULL PRIMARY KEY, "
                "body TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL)");
  return dsn;
}

// Writes every value through `literal` and reads them back.
void expect_every_value_back(const Dsn& dsn, const std::function<std::string(const std::string&)>& literal) {
  Connection c(dsn);
  const std::vector<std::string> values = tricky_values();
  for (std::size_t i = 0; i < values.size(); ++i) {
    c.exec("INSERT INTO quoted (id, body) VALUES (" + std::to_string(i) + ", " + literal(values[i]) + ")");
  }
  auto r = c.query("SELECT id, body FROM quoted ORDER BY id");
  std::size_t rows = 0;
  while (auto row = r.next()) {
    const std::size_t id = row->u64(0);
    ASSERT_LT(id, values.size());
    EXPECT_EQ(row->str(1), values[id]) << "value " << id;
    ++rows;
  }
  EXPECT_EQ(rows, values.size());
}

TEST(Quote, EveryStringComesBackByteForByte) {
  Dsn dsn = quoted_table();
  Connection c(dsn);
  expect_every_value_back(dsn, [&](const std::string& v) { return c.quote(v); });
}

TEST(Quote, TextWrittenAsHexComesBackByteForByteAndComparesByTheColumnsCollation) {
  Dsn dsn = quoted_table();
  expect_every_value_back(dsn, [](const std::string& v) { return Connection::quote_bytes(v); });
  Connection c(dsn);
  const std::string upper = "\xc3\x9c" "ber Gr\xc3\xb6\xc3\x9f" "e";  // "Über Größe"
  const std::string lower = "\xc3\xbc" "BER gr\xc3\xb6\xc3\x9f" "e";  // "üBER größe"
  c.exec("INSERT INTO quoted (id, body) VALUES (100, " + Connection::quote_bytes(upper) + ")");
  EXPECT_EQ(query_number(dsn, "SELECT id FROM quoted WHERE body = " + c.quote(lower)), 100)
      << "found case-insensitively, as the column's collation says";
  const std::string not_utf8 = "bad \xff\xfe";
  EXPECT_THROW(c.exec("INSERT INTO quoted (id, body) VALUES (101, " + Connection::quote_bytes(not_utf8) + ")"), DbError)
      << "bytes that are not UTF-8 are refused (strict mode)";
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM quoted WHERE id = 101"), 0);
}

}  // namespace
}  // namespace taskraft::store::testing

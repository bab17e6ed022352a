// Connection::quote on a real MariaDB: every string comes back byte for byte from the string
// literal it makes, whatever it holds (the bytes SQL gives a meaning to, every ASCII byte,
// multi-byte UTF-8, a trailing backslash), so no value can end its literal early.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mysql_fixture.h"
#include "store/connection.h"
#include "store/store.h"

namespace taskraft::store::testing {
namespace {

TEST(Quote, EveryStringComesBackByteForByte) {
  Dsn dsn = fresh_database();
  { Store store(dsn); }  // creates the database
  Connection c(dsn);
  c.exec("CREATE TABLE quoted (id INT NOT NULL PRIMARY KEY, body TEXT CHARACTER SET utf8mb4 NOT NULL)");
  std::string every_ascii;
  for (int b = 0; b < 0x80; ++b) every_ascii += static_cast<char>(b);
  const std::vector<std::string> values = {
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
  for (std::size_t i = 0; i < values.size(); ++i) {
    c.exec("INSERT INTO quoted (id, body) VALUES (" + std::to_string(i) + ", " + c.quote(values[i]) + ")");
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

}  // namespace
}  // namespace taskraft::store::testing

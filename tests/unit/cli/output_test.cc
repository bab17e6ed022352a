// Tables for people (cli/output.h).
#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace taskraft::cli {
namespace {

TEST(Table, PadsColumnsByCharactersNotBytes) {
  Table t({{"ID", 10}, {"TITLE", 10}});
  t.add({"1", "héllo"});
  t.add({"22", "x"});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str(), "ID  TITLE\n1   héllo\n22  x\n");
}

TEST(Table, CutsLongCellsAndBlanksControlCharacters) {
  Table t({{"T", 5}});
  t.add({"abcdefgh"});
  t.add({"ééééééé"});
  t.add({"a\nb\tc"});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str(), "T\nabcd…\néééé…\na b c\n");
}

TEST(Cell, StringsAsTheyAreNullAsDashOthersAsJson) {
  boost::json::value s = "x", n = nullptr, i = 42, b = true;
  EXPECT_EQ(cell(&s), "x");
  EXPECT_EQ(cell(&n), "-");
  EXPECT_EQ(cell(nullptr), "-");
  EXPECT_EQ(cell(&i), "42");
  EXPECT_EQ(cell(&b), "true");
}

}  // namespace
}  // namespace taskraft::cli

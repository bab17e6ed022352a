// Percent-encoded query strings (cli/query_string.h).
#include "cli/query_string.h"

#include <gtest/gtest.h>

namespace taskraft::cli {
namespace {

TEST(QueryString, EncodesEverythingButUnreservedCharacters) {
  QueryString q;
  q.add("q", "fix & ship = 100%").add("tag", "été").add("sort", "-due_at");
  EXPECT_EQ(q.after("/v1/tasks"), "/v1/tasks?q=fix%20%26%20ship%20%3D%20100%25&tag=%C3%A9t%C3%A9&sort=-due_at");
}

TEST(QueryString, NothingAddedLeavesThePathAlone) { EXPECT_EQ(QueryString().after("/v1/tasks/3"), "/v1/tasks/3"); }

}  // namespace
}  // namespace taskraft::cli

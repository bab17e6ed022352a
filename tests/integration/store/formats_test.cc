// The store's pure formats, no database needed: DSNs, RFC 3339 times, cursors, the task and
// problem JSON of API.md, and the field rules.
#include <gtest/gtest.h>

#include "store/cursor.h"
#include "store/dsn.h"
#include "store/problem.h"
#include "store/rules.h"
#include "store/task_json.h"
#include "store/time_format.h"

namespace taskraft::store {
namespace {

TEST(Dsn, ParsesEveryPart) {
  auto d = parse_dsn("mysql://bob:s%40cret@db.local:3307/taskraft_n1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->user, "bob");
  EXPECT_EQ(d->password, "s@cret");
  EXPECT_EQ(d->host, "db.local");
  EXPECT_EQ(d->port, 3307u);
  EXPECT_EQ(d->database, "taskraft_n1");
  EXPECT_EQ(describe(*d), "mysql://bob@db.local:3307/taskraft_n1");
}

TEST(Dsn, FillsDefaultsAndTakesASocket) {
  auto d = parse_dsn("mysql://root@127.0.0.1:33061/");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->password, "");
  EXPECT_EQ(d->database, "taskraft");
  auto s = parse_dsn("mysql://root:@localhost/db1?socket=/tmp/my.sock");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->socket, "/tmp/my.sock");
  EXPECT_EQ(s->port, 3306u);
  EXPECT_EQ(s->password, "");
}

TEST(Dsn, UserPasswordAndSocketArePercentDecodedWhateverTheyHold) {
  Dsn d;
  d.user = "tr user";
  d.password = "p@ss:w/rd%?&#\xC3\xA9";
  d.host = "db.local";
  d.port = 3307;
  d.database = "taskraft_n1";
  EXPECT_EQ(parse_dsn("mysql://tr%20user:p%40ss%3Aw%2Frd%25%3F%26%23%C3%A9@db.local:3307/taskraft_n1"), d);
  d.password.clear();
  d.socket = "/run/my sql.sock";
  EXPECT_EQ(parse_dsn("mysql://tr%20user@db.local:3307/taskraft_n1?socket=%2Frun%2Fmy%20sql.sock"), d);
}

TEST(Dsn, RejectsMalformedInput) {
  for (const char* bad : {"postgres://x@y/z", "mysql://root@host:99999/db", "mysql://root@host:12x/db",
                          "mysql://root@host/db-with-dash", "mysql://root@host/db?user=x", "mysql://:pw@host/db",
                          "mysql://root@host/db?socket=", "mysql://ro%zzt@host/db"}) {
    EXPECT_FALSE(parse_dsn(bad)) << bad;
  }
}

TEST(TimeFormat, RendersUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(1796144400000), "2026-12-01T17:00:00.000Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(kMinTimeMs), "0001-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(kMaxTimeMs), "9999-12-31T23:59:59.999Z");
}

TEST(TimeFormat, ParsesOffsetsAndFractionsAndRoundTrips) {
  EXPECT_EQ(parse_rfc3339("2026-12-01T17:00:00Z"), 1796144400000);
  EXPECT_EQ(parse_rfc3339("2026-12-01T18:30:00+01:30"), 1796144400000);
  EXPECT_EQ(parse_rfc3339("2026-12-01T17:00:00.5Z"), 1796144400500);
  EXPECT_EQ(parse_rfc3339("2026-12-01T17:00:00.123456789Z"), 1796144400123);
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{1796144400123}, kMinTimeMs, kMaxTimeMs, std::int64_t{-86399999}}) {
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t);
  }
  for (const char* bad : {"", "2026-12-01", "2026-12-01T17:00:00", "2026-02-30T00:00:00Z", "2026-12-01T24:00:00Z",
                          "2026-12-01T17:00:00.Z", "2026-12-01T17:00:00+1:00", "2026-12-01T17:00:00Zjunk"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(Cursor, RoundTripsAndRejectsGarbage) {
  Cursor numeric{{SortField::kDueAt, false}, std::int64_t{1796144400000}, 17};
  Cursor text{{SortField::kTitle, true}, std::string("Ship \"v1\" — now"), 3};
  EXPECT_EQ(decode_cursor(encode_cursor(numeric)), numeric);
  EXPECT_EQ(decode_cursor(encode_cursor(text)), text);
  std::string good = encode_cursor(numeric);
  for (std::string bad : {std::string(), std::string("zz"), good.substr(1), good + "0", std::string("7b7d") /* {} */}) {
    EXPECT_FALSE(decode_cursor(bad)) << bad;
  }
}

TEST(SortOrder, ParsesTheApiSpelling) {
  EXPECT_EQ(parse_sort("-updated_at"), (SortOrder{SortField::kUpdatedAt, true}));
  EXPECT_EQ(parse_sort("priority"), (SortOrder{SortField::kPriority, false}));
  EXPECT_FALSE(parse_sort("--title"));
  EXPECT_FALSE(parse_sort("owner"));
  EXPECT_EQ(to_string(SortOrder{SortField::kDueAt, true}), "-due_at");
}

TEST(TaskJson, RendersExactlyAsTheApiShowsIt) {
  Task t;
  t.id = 42;
  t.title = "Ship v1";
  t.description = "…";
  t.status = Status::kTodo;
  t.priority = Priority::kHigh;
  t.due_at_ms = 1796144400000;
  t.tags = {"release"};
  t.assignee = "alice";
  t.project = "core";
  t.created_by = "admin";
  t.created_at_ms = 1795000000000;
  t.updated_at_ms = 1795000000001;
  t.version = 3;
  EXPECT_EQ(task_body(t),
            R"({"id":42,"title":"Ship v1","description":"…","status":"todo","priority":"high",)"
            R"("due_at":"2026-12-01T17:00:00.000Z","tags":["release"],"assignee":"alice","project":"core",)"
            R"("created_by":"admin","created_at":"2026-11-18T11:06:40.000Z",)"
            R"("updated_at":"2026-11-18T11:06:40.001Z","version":3})");
  t.due_at_ms.reset();
  t.assignee.reset();
  t.project.reset();
  t.tags.clear();
  t.status = Status::kInProgress;
  EXPECT_EQ(task_list_body({t}, std::nullopt),
            R"({"items":[{"id":42,"title":"Ship v1","description":"…","status":"in_progress","priority":"high",)"
            R"("due_at":null,"tags":[],"assignee":null,"project":null,"created_by":"admin",)"
            R"("created_at":"2026-11-18T11:06:40.000Z","updated_at":"2026-11-18T11:06:40.001Z","version":3}],)"
            R"("next_cursor":null})");
}

TEST(ProblemJson, HasTheFieldsOfApiMd) {
  EXPECT_EQ(problem_body({404, "not-found", "Task not found", "task 7 does not exist", {}}),
            R"({"type":"urn:taskraft:problem:not-found","title":"Task not found","status":404,)"
            R"("detail":"task 7 does not exist"})");
  EXPECT_EQ(problem_body({422, "validation", "Invalid request", "1 field breaks the rules", {{"title", "too long"}}}),
            R"({"type":"urn:taskraft:problem:validation","title":"Invalid request","status":422,)"
            R"("detail":"1 field breaks the rules","errors":[{"field":"title","message":"too long"}]})");
}

TEST(Rules, CountCodePointsAndRejectBadUtf8) {
  EXPECT_EQ(utf8_length("héllo €𝄞"), 8u);
  EXPECT_FALSE(utf8_length("\xc3"));            // truncated
  EXPECT_FALSE(utf8_length("\xc0\xaf"));        // overlong
  EXPECT_FALSE(utf8_length("\xed\xa0\x80"));    // surrogate
  EXPECT_FALSE(utf8_length("\xf4\x90\x80\x80")); // above U+10FFFF
}

TEST(Rules, EnforceTheLimitsOfApiMd) {
  Task t;
  t.title = std::string(200, 'x');
  t.description = std::string(10000, 'y');
  t.tags = std::vector<std::string>(20, std::string(40, 't'));
  EXPECT_TRUE(check_task(t).empty());
  t.title = std::string(200, 'x') + "é";
  t.description += "z";
  t.tags.push_back("");
  auto errors = check_task(t);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "description", "tags", "tags[20]"}));
  EXPECT_TRUE(valid_idempotency_key("retry-123"));
  EXPECT_FALSE(valid_idempotency_key(""));
  EXPECT_FALSE(valid_idempotency_key(std::string(65, 'k')));
  EXPECT_FALSE(valid_idempotency_key("tab\there"));
}

}  // namespace
}  // namespace taskraft::store

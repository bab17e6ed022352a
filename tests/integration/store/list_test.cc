// The task listing: every filter, full-text search, sorting by each field both ways, and cursor
// pagination that neither skips nor repeats a task while others are created and deleted.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "mysql_fixture.h"
#include "store_fixture.h"
#include "store/store.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

class List : public StoreTest {
 protected:
  void run(const pb::Command& c) { ASSERT_LT(StoreTest::run(c).http_status, 300); }

  // Every task, by id.
  std::vector<Task> all_tasks() {
    TaskQuery q;
    q.sort = {SortField::kId, false};
    q.limit = kMaxLimit;
    return store_.list_tasks(q).items;
  }

  std::vector<TaskId> ids(const TaskQuery& q) {
    std::vector<TaskId> out;
    for (const Task& t : store_.list_tasks(q).items) out.push_back(t.id);
    return out;
  }

  // Tasks 1-6 with distinct fields; task i is created (and updated) at kT0 + i seconds.
  void seed() {
    struct Spec {
      const char* title;
      const char* description;
      pb::TaskPriority priority;
      std::optional<std::int64_t> due;
      std::vector<std::string> tags;
      std::optional<std::string> assignee, project;
    };
    const std::vector<Spec> specs = {
        {"Release notes", "write them for the release", pb::TASK_PRIORITY_LOW, kT0 + 10 * 86400000LL, {"docs"}, "alice", "core"},
        {"Fix db bug", "the database is slow", pb::TASK_PRIORITY_URGENT, kT0 + 2 * 86400000LL, {"bug", "db"}, "bob", "core"},
        {"Ship the release", "go to prod", pb::TASK_PRIORITY_HIGH, std::nullopt, {"release"}, "alice", std::nullopt},
        {"Über Größe", "ünïcode wörds", pb::TASK_PRIORITY_MEDIUM, kT0 + 5 * 86400000LL, {}, std::nullopt, "ui"},
        {"api review", "50% done_ok", pb::TASK_PRIORITY_HIGH, std::nullopt, {"docs", "bug"}, "carol", "core"},
        {"Archive", "old things", pb::TASK_PRIORITY_LOW, kT0 + 1 * 86400000LL, {}, "bob", std::nullopt},
    };
    std::int64_t at = kT0;
    for (const Spec& s : specs) {
      pb::Command c = create_task(s.title, at += 1000);
      auto* m = c.mutable_create_task();
      m->set_description(s.description);
      m->set_priority(s.priority);
      if (s.due) m->set_due_at_ms(*s.due);
      for (const auto& tag : s.tags) m->add_tags(tag);
      if (s.assignee) m->set_assignee(*s.assignee);
      if (s.project) m->set_project(*s.project);
      run(c);
    }
    pb::Command done = update_task(2, at += 1000);
    done.mutable_update_task()->set_status(pb::TASK_STATUS_DONE);
    run(done);
    pb::Command progress = update_task(5, at += 1000);
    progress.mutable_update_task()->set_status(pb::TASK_STATUS_IN_PROGRESS);
    run(progress);
  }

};

TEST_F(List, DefaultsToMostRecentlyUpdatedFirst) {
  seed();
  auto page = store_.list_tasks({});
  std::vector<TaskId> got;
  for (const Task& t : page.items) got.push_back(t.id);
  EXPECT_EQ(got, (std::vector<TaskId>{5, 2, 6, 4, 3, 1}));
  EXPECT_FALSE(page.next_cursor);
  EXPECT_EQ(page.items[1].tags, (std::vector<std::string>{"bug", "db"}));
}

TEST_F(List, FiltersCombine) {
  seed();
  auto q = [](auto fill) {
    TaskQuery query;
    query.sort = {SortField::kId, false};
    fill(query);
    return query;
  };
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.status = Status::kTodo; })), (std::vector<TaskId>{1, 3, 4, 6}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.status = Status::kDone; })), (std::vector<TaskId>{2}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.priority = Priority::kHigh; })), (std::vector<TaskId>{3, 5}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.tag = "bug"; })), (std::vector<TaskId>{2, 5}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.tag = "Bug"; })), (std::vector<TaskId>{}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.assignee = "alice"; })), (std::vector<TaskId>{1, 3}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.project = "core"; })), (std::vector<TaskId>{1, 2, 5}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.due_before_ms = kT0 + 5 * 86400000LL; })), (std::vector<TaskId>{2, 6}));
  EXPECT_EQ(ids(q([](TaskQuery& x) { x.due_after_ms = kT0 + 2 * 86400000LL; })), (std::vector<TaskId>{1, 4}));
  EXPECT_EQ(ids(q([](TaskQuery& x) {
              x.project = "core";
              x.tag = "docs";
              x.assignee = "alice";
            })),
            (std::vector<TaskId>{1}));
}

TEST_F(List, FullTextSearchesTitlesAndDescriptions) {
  seed();
  auto search = [&](const std::string& q) {
    TaskQuery query;
    query.q = q;
    query.sort = {SortField::kId, false};
    return ids(query);
  };
  EXPECT_EQ(search("release"), (std::vector<TaskId>{1, 3}));
  EXPECT_EQ(search("RELEASE notes"), (std::vector<TaskId>{1}));
  EXPECT_EQ(search("relea"), (std::vector<TaskId>{1, 3}));      // word prefixes
  EXPECT_EQ(search("database"), (std::vector<TaskId>{2}));      // in the description
  EXPECT_EQ(search("db"), (std::vector<TaskId>{2}));            // too short for the index
  EXPECT_EQ(search("the release"), (std::vector<TaskId>{1, 3})); // "the" is a stopword
  EXPECT_EQ(search("größe"), (std::vector<TaskId>{4}));
  EXPECT_EQ(search("50%"), (std::vector<TaskId>{5}));
  EXPECT_EQ(search("done_ok"), (std::vector<TaskId>{5}));
  EXPECT_EQ(search("_o"), (std::vector<TaskId>{5}));  // LIKE wildcards in q are plain characters
  EXPECT_EQ(search("nothing-matches"), (std::vector<TaskId>{}));
  EXPECT_EQ(search(" ,; "), (std::vector<TaskId>{1, 2, 3, 4, 5, 6}));
}

TEST_F(List, SortsByEveryFieldBothWays) {
  seed();
  const auto all = all_tasks();
  ASSERT_EQ(all.size(), 6u);
  auto key = [](const Task& t, SortField f) -> std::int64_t {
    switch (f) {
      case SortField::kId: return static_cast<std::int64_t>(t.id);
      case SortField::kCreatedAt: return t.created_at_ms;
      case SortField::kUpdatedAt: return t.updated_at_ms;
      case SortField::kDueAt: return t.due_at_ms.value_or(INT64_MAX);
      case SortField::kPriority: return static_cast<std::int64_t>(t.priority);
      case SortField::kStatus: return static_cast<std::int64_t>(t.status);
      case SortField::kTitle: return 0;
    }
    return 0;
  };
  for (SortField f : {SortField::kId, SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                      SortField::kPriority, SortField::kStatus}) {
    for (bool desc : {false, true}) {
      std::vector<Task> expected = all;
      std::sort(expected.begin(), expected.end(), [&](const Task& a, const Task& b) {
        auto ka = std::make_pair(key(a, f), a.id), kb = std::make_pair(key(b, f), b.id);
        return desc ? kb < ka : ka < kb;
      });
      std::vector<TaskId> want;
      for (const Task& t : expected) want.push_back(t.id);
      TaskQuery q;
      q.sort = {f, desc};
      EXPECT_EQ(ids(q), want) << to_string(q.sort);
    }
  }
  TaskQuery by_title;
  by_title.sort = *parse_sort("title");
  EXPECT_EQ(ids(by_title), (std::vector<TaskId>{5, 6, 2, 1, 3, 4}));  // case-insensitive, Ü with U
  by_title.sort = *parse_sort("-title");
  EXPECT_EQ(ids(by_title), (std::vector<TaskId>{4, 3, 1, 2, 6, 5}));
  TaskQuery by_priority;
  by_priority.sort = *parse_sort("-priority");
  EXPECT_EQ(ids(by_priority), (std::vector<TaskId>{2, 5, 3, 4, 6, 1}));  // urgent, high, medium, low; ties by -id
}

// Pages through every order while tasks are created and deleted between pages: every task that
// exists from the first page to the last is seen exactly once.
TEST_F(List, PagesNeverSkipNorRepeatWhileTasksComeAndGo) {
  std::int64_t at = kT0;
  TaskId next_id = 1;
  for (; next_id <= 40; ++next_id) {
    pb::Command c = create_task(std::string(1, static_cast<char>('a' + next_id % 7)) + " task", at += 500 * (next_id % 3));
    c.mutable_create_task()->set_priority(static_cast<pb::TaskPriority>(1 + next_id % 4));
    if (next_id % 2) c.mutable_create_task()->set_due_at_ms(kT0 + static_cast<std::int64_t>(next_id % 5) * 1000);
    run(c);
  }
  for (const char* sort : {"-updated_at", "updated_at", "id", "-id", "due_at", "-due_at", "priority", "-priority",
                           "title", "-title", "created_at", "-status"}) {
    std::set<TaskId> stable;  // tasks that exist throughout this listing
    for (const Task& t : all_tasks()) stable.insert(t.id);
    std::multiset<TaskId> seen;
    TaskQuery q;
    q.sort = *parse_sort(sort);
    q.limit = 7;
    int pages = 0;
    for (;;) {
      TaskPage page = store_.list_tasks(q);
      for (const Task& t : page.items) seen.insert(t.id);
      ++pages;
      if (!page.next_cursor) break;
      q.after = decode_cursor(*page.next_cursor);
      ASSERT_TRUE(q.after);
      // Between pages: one new task, one deleted (sometimes the very one the cursor points at).
      pb::Command c = create_task("new " + std::to_string(next_id), at);
      c.mutable_create_task()->set_priority(static_cast<pb::TaskPriority>(1 + next_id % 4));
      run(c);
      ++next_id;
      TaskId victim = pages % 3 == 0 ? q.after->id : *std::next(stable.begin(), pages % stable.size());
      if (stable.erase(victim)) run(delete_task(victim, at));
    }
    for (TaskId id : stable) EXPECT_EQ(seen.count(id), 1u) << sort << ": task " << id;
    for (TaskId id : seen) EXPECT_EQ(seen.count(id), 1u) << sort << ": task " << id << " repeated";
    EXPECT_GT(pages, 3) << sort;
  }
}

TEST_F(List, LimitIsClampedAndTheLastPageHasNoCursor) {
  seed();
  TaskQuery q;
  q.limit = 0;
  auto page = store_.list_tasks(q);
  EXPECT_EQ(page.items.size(), 1u);
  EXPECT_TRUE(page.next_cursor);
  q.limit = 100000;
  page = store_.list_tasks(q);
  EXPECT_EQ(page.items.size(), 6u);
  EXPECT_FALSE(page.next_cursor);
  q.limit = 6;
  EXPECT_FALSE(store_.list_tasks(q).next_cursor);  // exactly full: no empty page after it
}

TEST_F(List, ACursorContinuesTheOrderItCameFrom) {
  seed();
  TaskQuery q;
  q.sort = *parse_sort("id");
  q.limit = 2;
  auto first = store_.list_tasks(q);
  TaskQuery next;
  next.sort = *parse_sort("-priority");  // ignored: the cursor's order wins
  next.limit = 2;
  next.after = decode_cursor(*first.next_cursor);
  EXPECT_EQ(ids(next), (std::vector<TaskId>{3, 4}));
}

}  // namespace
}  // namespace taskraft::store::testing

// Applying commands: the outcome each one answers (status and body, as API.md describes them),
// the versions and ids it produces, conditional writes (If-Match), validation at apply time,
// users, no-ops, malformed entries, and the membership recorded with conf-change entries; and
// the transactions they are decided in: shared by batches, committed while the next is decided,
// rolled back together when a commit fails.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "meta_row_hold.h"
#include "mysql_fixture.h"
#include "store_fixture.h"
#include "store/error.h"
#include "store/store.h"
#include "store/task_json.h"
#include "test_log.h"

namespace taskraft::store::testing {
namespace {

using Apply = StoreTest;

TEST_F(Apply, CreateAnswers201WithTheNewTask) {
  pb::Command c = create_task("Ship v1", kT0, "admin");
  auto* m = c.mutable_create_task();
  m->set_description("all of it");
  m->set_priority(pb::TASK_PRIORITY_HIGH);
  m->set_due_at_ms(1796144400000);
  m->add_tags("release");
  m->set_assignee("alice");
  m->set_project("core");
  Outcome o = run(c);
  EXPECT_EQ(o.http_status, 201);
  EXPECT_EQ(o.content_type, "application/json");
  EXPECT_EQ(o.body,
            R"({"id":1,"title":"Ship v1","description":"all of it","status":"todo","priority":"high",)"
            R"("due_at":"2026-12-01T17:00:00.000Z","tags":["release"],"assignee":"alice","project":"core",)"
            R"("created_by":"admin","created_at":"2026-11-18T11:06:40.000Z",)"
            R"("updated_at":"2026-11-18T11:06:40.000Z","version":1})");
  auto stored = store_.get_task(1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(task_body(*stored), o.body);
  EXPECT_EQ(store_.applied().index, 1u);
}

TEST_F(Apply, CreateDefaultsToTodoAndMediumAndDropsRepeatedTags) {
  pb::Command c = create_task("defaults");
  c.mutable_create_task()->add_tags("b");
  c.mutable_create_task()->add_tags("a");
  c.mutable_create_task()->add_tags("b");
  auto task = json(run(c)).as_object();
  EXPECT_EQ(task.at("status"), "todo");
  EXPECT_EQ(task.at("priority"), "medium");
  EXPECT_EQ(task.at("tags"), (boost::json::array{"b", "a"}));
  EXPECT_EQ(task.at("due_at"), nullptr);
  EXPECT_EQ(task.at("assignee"), nullptr);
}

TEST_F(Apply, IdsComeFromTheCounterAndAreNeverReused) {
  EXPECT_EQ(json(run(create_task("one"))).at("id"), 1);
  EXPECT_EQ(json(run(create_task("two"))).at("id"), 2);
  EXPECT_EQ(run(delete_task(2)).http_status, 204);
  EXPECT_EQ(json(run(create_task("three"))).at("id"), 3);
}

TEST_F(Apply, UpdateChangesThePresentFieldsAndBumpsTheVersion) {
  pb::Command c = create_task("draft");
  c.mutable_create_task()->set_assignee("alice");
  c.mutable_create_task()->set_due_at_ms(1796144400000);
  c.mutable_create_task()->add_tags("x");
  run(c);

  pb::Command u = update_task(1, kT0 + 5000, "bob");
  u.mutable_update_task()->set_status(pb::TASK_STATUS_IN_PROGRESS);
  u.mutable_update_task()->mutable_assignee();                 // present without value: clear
  u.mutable_update_task()->mutable_project()->set_value("ops");
  u.mutable_update_task()->mutable_tags()->add_tags("y");      // replaces the set
  Outcome o = run(u);
  EXPECT_EQ(o.http_status, 200);
  auto task = json(o).as_object();
  EXPECT_EQ(task.at("version"), 2);
  EXPECT_EQ(task.at("title"), "draft");
  EXPECT_EQ(task.at("status"), "in_progress");
  EXPECT_EQ(task.at("assignee"), nullptr);
  EXPECT_EQ(task.at("project"), "ops");
  EXPECT_EQ(task.at("tags"), (boost::json::array{"y"}));
  EXPECT_EQ(task.at("due_at"), "2026-12-01T17:00:00.000Z");
  EXPECT_EQ(task.at("created_at"), "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(task.at("updated_at"), "2026-11-18T11:06:45.000Z");
  EXPECT_EQ(task.at("created_by"), "alice");

  pb::Command clear_due = update_task(1, kT0 + 6000);
  clear_due.mutable_update_task()->mutable_due_at();
  clear_due.mutable_update_task()->mutable_tags();  // empty list: no tags
  auto cleared = json(run(clear_due)).as_object();
  EXPECT_EQ(cleared.at("due_at"), nullptr);
  EXPECT_EQ(cleared.at("tags"), boost::json::array{});
  EXPECT_EQ(cleared.at("version"), 3);
  EXPECT_EQ(task_body(*store_.get_task(1)), boost::json::serialize(cleared));
}

TEST_F(Apply, AnUpdateThatChangesNothingKeepsTheVersion) {
  run(create_task("same"));
  pb::Command u = update_task(1, kT0 + 1000);
  u.mutable_update_task()->set_title("same");
  Outcome o = run(u);
  EXPECT_EQ(o.http_status, 200);
  EXPECT_EQ(json(o).at("version"), 1);
  EXPECT_EQ(json(o).at("updated_at"), "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(store_.task_history(1)->size(), 1u);
}

TEST_F(Apply, DeleteAnswers204AndTheTaskIsGone) {
  run(create_task("doomed"));
  Outcome o = run(delete_task(1));
  EXPECT_EQ(o.http_status, 204);
  EXPECT_EQ(o.body, "");
  EXPECT_FALSE(store_.get_task(1));
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM task_tags"), 0);
}

TEST_F(Apply, UnknownIdsAre404ProblemsAndChangeNothing) {
  run(create_task("only"));
  std::uint64_t before = state_checksum(dsn_);
  for (const pb::Command& c : {update_task(7), delete_task(7)}) {
    Outcome o = run(c);
    EXPECT_EQ(o.http_status, 404);
    EXPECT_EQ(o.content_type, "application/problem+json");
    auto p = json(o).as_object();
    EXPECT_EQ(p.at("status"), 404);
    EXPECT_EQ(p.at("type"), "urn:taskraft:problem:not-found");
    EXPECT_EQ(p.at("detail"), "task 7 does not exist");
  }
  exec_sql(dsn_, "UPDATE meta SET applied_index = 1, applied_term = 1 WHERE id = 1");
  EXPECT_EQ(state_checksum(dsn_), before);
}

TEST_F(Apply, IfMatchMismatchIs412WithTheCurrentTask) {
  run(create_task("v1"));
  pb::Command u = update_task(1);
  u.mutable_update_task()->set_title("v2");
  run(u);
  std::string current = task_body(*store_.get_task(1));

  pb::Command stale = update_task(1, kT0 + 1);
  stale.mutable_update_task()->set_if_match(1);
  stale.mutable_update_task()->set_title("lost update");
  Outcome o = run(stale);
  EXPECT_EQ(o.http_status, 412);
  EXPECT_EQ(o.body, current);

  pb::Command stale_delete = delete_task(1);
  stale_delete.mutable_delete_task()->set_if_match(1);
  EXPECT_EQ(run(stale_delete).http_status, 412);
  EXPECT_EQ(task_body(*store_.get_task(1)), current);

  pb::Command fresh = update_task(1, kT0 + 2);
  fresh.mutable_update_task()->set_if_match(2);
  fresh.mutable_update_task()->set_title("v3");
  EXPECT_EQ(json(run(fresh)).at("version"), 3);
  pb::Command fresh_delete = delete_task(1);
  fresh_delete.mutable_delete_task()->set_if_match(3);
  EXPECT_EQ(run(fresh_delete).http_status, 204);
}

TEST_F(Apply, RuleBreakingCommandsAre422AndChangeNothing) {
  run(create_task("fine"));
  std::uint64_t before = state_checksum(dsn_);
  pb::Command long_title = create_task(std::string(201, 'x'));
  pb::Command bad_status = create_task("ok");
  bad_status.mutable_create_task()->set_status(static_cast<pb::TaskStatus>(9));
  pb::Command too_many_tags = update_task(1);
  for (int i = 0; i < 21; ++i) too_many_tags.mutable_update_task()->mutable_tags()->add_tags("t" + std::to_string(i));
  pb::Command empty_title = update_task(1);
  empty_title.mutable_update_task()->set_title("");
  const std::vector<std::pair<pb::Command, std::string>> cases = {
      {long_title, "title"}, {bad_status, "status"}, {too_many_tags, "tags"}, {empty_title, "title"}};
  for (const auto& [c, field] : cases) {
    Outcome o = run(c);
    EXPECT_EQ(o.http_status, 422) << field;
    auto p = json(o).as_object();
    EXPECT_EQ(p.at("type"), "urn:taskraft:problem:validation");
    EXPECT_EQ(p.at("errors").as_array().at(0).at("field"), boost::json::value(field));
  }
  // Invalid UTF-8 in a string field does not even parse as a command (proto3 checks it).
  pb::Command bad_utf8 = update_task(1);
  bad_utf8.mutable_update_task()->set_description("\xff\xfe");
  EXPECT_EQ(run(bad_utf8).http_status, 400);
  exec_sql(dsn_, "UPDATE meta SET applied_index = 1 WHERE id = 1");
  EXPECT_EQ(state_checksum(dsn_), before);
}

TEST_F(Apply, NoOpsAndMalformedEntriesAdvanceTheAppliedIndexOnly) {
  log_.noop();
  log_.add_raw("\xff not a protobuf");
  log_.add(command());  // no operation
  pb::Command no_version = create_task("x");
  no_version.clear_version();
  log_.add(no_version);
  auto outcomes = store_.apply(log_.entries());
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0], Outcome{});
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(outcomes[i].http_status, 400) << i;
    EXPECT_EQ(json(outcomes[i]).at("type"), "urn:taskraft:problem:malformed-command");
  }
  EXPECT_EQ(store_.applied().index, 4u);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 0);
}

TEST_F(Apply, ACommandOfANewerFormatStopsApplyWithNothingOfItsBatchApplied) {
  log_.add(create_task("before"));
  pb::Command future = create_task("from a newer leader");
  future.set_version(static_cast<pb::FormatVersion>(2));
  log_.add(future);
  EXPECT_THROW(store_.apply(log_.entries()), UnsupportedCommand);
  EXPECT_EQ(store_.applied().index, 0u);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 0);
  store_.apply(log_.range(1, 1));
  EXPECT_EQ(store_.applied().index, 1u);
}

TEST_F(Apply, DecidedBatchesShareOneTransactionThatOnlyCommitMakesVisible) {
  run(create_task("there before"));
  log_.add(create_task("second"));
  pb::Command u = update_task(1);
  u.mutable_update_task()->set_title("renamed");
  log_.add(u);
  log_.add(delete_task(7));  // no such task: a 404 decided by a read inside the transaction
  pb::Command renamed_again = update_task(2);
  renamed_again.mutable_update_task()->set_title("second, renamed");
  log_.add(renamed_again);  // reads the row the first decide() inserted, not yet committed

  std::vector<Outcome> decided = store_.decide(log_.range(2, 3));
  auto later = store_.decide(log_.range(4, 5));
  decided.insert(decided.end(), later.begin(), later.end());
  ASSERT_EQ(decided.size(), 4u);
  EXPECT_EQ(decided[0].http_status, 201);
  EXPECT_EQ(decided[1].http_status, 200);
  EXPECT_EQ(decided[2].http_status, 404);
  EXPECT_EQ(decided[3].http_status, 200);
  EXPECT_EQ(json(decided[3]).at("version"), 2);
  // Another connection sees nothing decided yet, and the task cache has none of it.
  EXPECT_EQ(query_number(dsn_, "SELECT applied_index FROM meta WHERE id = 1"), 1);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 1);
  EXPECT_FALSE(store_.task_cache().lookup(2));
  EXPECT_EQ(store_.task_cache().published(), 1u);

  EXPECT_EQ(store_.commit(), 5u);
  EXPECT_EQ(store_.applied().index, 5u);
  EXPECT_EQ(store_.get_task(2)->title, "second, renamed");
  ASSERT_TRUE(store_.task_cache().lookup(2));
  EXPECT_EQ(store_.task_cache().published(), 5u);

  // The same entries on another store from the same start decide the same outcomes, in one go.
  Store other(fresh_database("decided-again"));
  other.apply(log_.range(1, 1));
  EXPECT_EQ(other.apply(log_.range(2, 5)), decided);
}

TEST_F(Apply, AFailureRollsBackEverythingDecidedSinceTheLastCommitAndDecidingAgainEndsTheSame) {
  run(create_task("committed"));
  log_.add(create_task("decided, then rolled back"));
  pb::Command future = create_task("from a newer leader");
  future.set_version(static_cast<pb::FormatVersion>(2));
  log_.add(future);
  auto first = store_.decide(log_.range(2, 2));
  EXPECT_THROW(store_.decide(log_.range(3, 3)), UnsupportedCommand);
  EXPECT_EQ(store_.commit(), 1u) << "nothing was left open to commit";
  EXPECT_EQ(store_.applied().index, 1u);
  EXPECT_FALSE(store_.get_task(2));
  EXPECT_EQ(store_.decide(log_.range(2, 2)), first) << "decided again, the same way";
  EXPECT_EQ(store_.commit(), 2u);
  EXPECT_EQ(store_.get_task(2)->title, "decided, then rolled back");
}

TEST_F(Apply, DecidingGoesOnWhileMySQLCommitsAndEachCommitPublishesItsOwnEntries) {
  run(create_task("first"));
  log_.add(create_task("in the commit on its way"));
  log_.add(create_task("decided meanwhile"));
  MetaRowHold hold(dsn_);
  EXPECT_EQ(store_.decide(log_.range(2, 2))[0].http_status, 201);
  store_.send_commit();
  ASSERT_TRUE(store_.committing());
  hold.waiting_session();
  auto meanwhile = store_.decide(log_.range(3, 3));
  EXPECT_EQ(json(meanwhile[0]).at("id"), 3) << "the next transaction continues the counters";
  EXPECT_FALSE(store_.commit_answer(/*wait=*/false)) << "MySQL holds the COMMIT back";
  EXPECT_EQ(store_.task_cache().published(), 1u);

  hold.release();
  EXPECT_EQ(store_.commit_answer(/*wait=*/true), 2u);
  EXPECT_FALSE(store_.committing());
  EXPECT_EQ(store_.task_cache().published(), 2u);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 2) << "the third is in the open transaction";
  EXPECT_EQ(store_.commit(), 3u);
  EXPECT_EQ(store_.get_task(3)->title, "decided meanwhile");
  EXPECT_EQ(store_.task_cache().published(), 3u);
}

TEST_F(Apply, ACommitThatFailsOnItsWayRollsBackItAndTheTransactionDecidedAfterIt) {
  run(create_task("committed"));
  log_.add(create_task("in the failed commit"));
  log_.add(create_task("decided after it"));
  MetaRowHold hold(dsn_);
  auto first = store_.decide(log_.range(2, 2));
  store_.send_commit();
  auto after = store_.decide(log_.range(3, 3));
  // The store's session dies while MySQL holds its COMMIT back.
  hold.connection().exec("KILL CONNECTION " + hold.waiting_session());
  EXPECT_THROW(store_.commit_answer(/*wait=*/true), DbError);
  EXPECT_FALSE(store_.committing());
  hold.release();

  EXPECT_EQ(store_.applied().index, 1u);
  EXPECT_FALSE(store_.get_task(2));
  first.insert(first.end(), after.begin(), after.end());
  EXPECT_EQ(store_.decide(log_.range(2, 3)), first) << "decided again, the same way";
  EXPECT_EQ(store_.commit(), 3u);
  EXPECT_EQ(query_number(dsn_, "SELECT COUNT(*) FROM tasks"), 3);
}

TEST_F(Apply, TimeNeverGoesBackwardsWhenANewLeadersClockIsBehind) {
  run(create_task("first", kT0 + 60000));
  Outcome o = run(create_task("second", kT0));  // a leader whose clock is a minute behind
  EXPECT_EQ(json(o).at("created_at"), "2026-11-18T11:07:40.000Z");
}

TEST_F(Apply, UsersAreCreatedOnceWithHashAndRole) {
  Outcome o = run(create_user("carol", pb::USER_ROLE_MEMBER));
  EXPECT_EQ(o.http_status, 201);
  EXPECT_EQ(o.body, R"({"username":"carol","role":"member","created_at":"2026-11-18T11:06:40.000Z"})");
  run(create_user("admin", pb::USER_ROLE_ADMIN));

  Outcome dup = run(create_user("carol", pb::USER_ROLE_ADMIN));
  EXPECT_EQ(dup.http_status, 409);
  EXPECT_EQ(json(dup).at("type"), "urn:taskraft:problem:user-exists");

  auto carol = store_.get_user("carol");
  ASSERT_TRUE(carol);
  EXPECT_EQ(carol->role, Role::kMember);
  EXPECT_EQ(carol->password_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
  EXPECT_FALSE(store_.get_user("Carol"));  // names are exact
  auto users = store_.list_users();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].username, "admin");
  EXPECT_EQ(users[1].username, "carol");

  EXPECT_EQ(run(create_user("dave", pb::USER_ROLE_UNSPECIFIED)).http_status, 422);
  EXPECT_EQ(run(create_user("has space", pb::USER_ROLE_MEMBER)).http_status, 422);
  EXPECT_FALSE(store_.get_user("dave"));
}

TEST_F(Apply, ConfChangesRecordTheMembershipWithTheAppliedIndex) {
  Membership initial{{{1, 2, 3}, {}}, R"({"1":"a","2":"b","3":"c"})"};
  EXPECT_TRUE(store_.record_initial_membership(initial));
  EXPECT_EQ(store_.applied(), (AppliedState{0, 0, initial}));

  log_.add(create_task("t"));
  Membership learner{{{1, 2, 3}, {4}}, R"({"1":"a","2":"b","3":"c","4":"d"})"};
  raft::Entry conf{1, 2, raft::EntryType::kConfChange, "core-encoded change"};
  std::vector<raft::Entry> batch = {log_.entries()[0], conf};
  auto outcomes = store_.apply(batch, {{2, learner}});
  EXPECT_EQ(outcomes[0].http_status, 201);
  EXPECT_EQ(outcomes[1], Outcome{});
  EXPECT_EQ(store_.applied(), (AppliedState{2, 1, learner}));

  Membership promoted{{{1, 2, 3, 4}, {}}, learner.addresses};
  raft::Entry promote{2, 3, raft::EntryType::kConfChange, "core-encoded change"};
  store_.apply(std::span(&promote, 1), {{3, promoted}});
  store_.apply(std::span(&promote, 1), {{3, initial}});  // already applied: skipped
  EXPECT_FALSE(store_.record_initial_membership(initial));  // no longer a fresh store
  EXPECT_EQ(store_.applied(), (AppliedState{3, 2, promoted}));
  EXPECT_EQ(Store(dsn_).applied(), (AppliedState{3, 2, promoted}));  // durable
}

}  // namespace
}  // namespace taskraft::store::testing

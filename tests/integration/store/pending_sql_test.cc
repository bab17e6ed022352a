// Statements deferred with Connection::exec_later and rows queued with insert_later: sent (rows
// as multi-row statements) before anything else runs, so reads and commits see them; gone with
// a rollback, also when one of them fails in the round trip of the COMMIT; correct past the
// size limit the server sets. Sent without waiting (send_later_with), their answer is read when
// it arrives, or first thing by the next statement, and a failure among them is thrown there.
#include <gtest/gtest.h>
#include <poll.h>

#include <string>

#include "mysql_fixture.h"
#include "store/connection.h"
#include "store/error.h"
#include "store/store.h"

namespace taskraft::store::testing {
namespace {

constexpr std::string_view kHead = "INSERT INTO notes (id, body) VALUES";

Dsn notes_database() {
  Dsn dsn = fresh_database();
  { Store store(dsn); }  // creates the database
  exec_sql(dsn, "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, body TEXT NOT NULL)");
  return dsn;
}

std::string row(Connection& c, int id, const std::string& body) {
  return "(" + std::to_string(id) + ", " + c.quote(body) + ")";
}

TEST(PendingSql, AReadInTheSameTransactionSeesTheQueuedRowsAndCommitKeepsThem) {
  Dsn dsn = notes_database();
  Connection c(dsn);
  Transaction tx(c);
  c.insert_later(kHead, row(c, 1, "one"));
  c.insert_later(kHead, row(c, 2, "it's two"));
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM notes"), 0);  // nothing sent yet
  auto r = c.query("SELECT GROUP_CONCAT(body ORDER BY id SEPARATOR '|') FROM notes");
  EXPECT_EQ(r.next()->str(0), "one|it's two");
  c.insert_later(kHead, row(c, 3, "three"));
  tx.commit();
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM notes"), 3);
}

TEST(PendingSql, ARollbackDropsTheQueuedRows) {
  Dsn dsn = notes_database();
  Connection c(dsn);
  {
    Transaction tx(c);
    c.insert_later(kHead, row(c, 1, "never"));
  }  // rolled back
  {
    Transaction tx(c);
    c.insert_later(kHead, row(c, 2, "kept"));
    tx.commit();
  }
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM notes"), 1);
  EXPECT_EQ(query_number(dsn, "SELECT id FROM notes"), 2);
}

TEST(PendingSql, TablesAreSentInTheOrderFirstQueuedAndAFailureFailsTheStatementAfter) {
  Dsn dsn = notes_database();
  exec_sql(dsn, "CREATE TABLE note_tags (note_id INT NOT NULL, tag VARCHAR(20) NOT NULL, "
                "FOREIGN KEY (note_id) REFERENCES notes (id)) ENGINE=InnoDB");
  Connection c(dsn);
  {
    Transaction tx(c);
    c.insert_later(kHead, row(c, 1, "parent"));
    c.insert_later("INSERT INTO note_tags (note_id, tag) VALUES", "(1, 'a')");
    c.insert_later(kHead, row(c, 2, "second parent"));
    c.insert_later("INSERT INTO note_tags (note_id, tag) VALUES", "(2, 'b')");
    tx.commit();  // parents first, or the foreign key refuses the tags
  }
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM note_tags"), 2);

  Transaction tx(c);
  c.insert_later(kHead, row(c, 1, "duplicate id"));
  EXPECT_THROW(c.exec("UPDATE notes SET body = 'x' WHERE id = 2"), DbError);
}

TEST(PendingSql, AStatementFailingWithTheCommitLeavesNothingCommittedByTheNextTransaction) {
  Dsn dsn = notes_database();
  Connection c(dsn);
  {
    Transaction tx(c);
    c.insert_later(kHead, row(c, 1, "first half"));
    c.exec_later("UPDATE notes SET body = 'seen' WHERE id = 1");  // deferred, in order
    c.insert_later(kHead, row(c, 1, "duplicate: fails after the first half ran"));
    EXPECT_THROW(tx.commit(), DbError);
  }
  {
    Transaction tx(c);  // its START TRANSACTION must not commit the first half
    c.insert_later(kHead, row(c, 2, "second"));
    tx.commit();
  }
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM notes"), 1);
  EXPECT_EQ(query_number(dsn, "SELECT id FROM notes"), 2);

  Transaction tx(c);
  c.insert_later(kHead, row(c, 3, "three"));
  c.exec_later("UPDATE notes SET body = 'updated after insert' WHERE id = 3");
  tx.commit();
  auto r = c.query("SELECT body FROM notes WHERE id = 3");
  EXPECT_EQ(r.next()->str(0), "updated after insert");
}

TEST(PendingSql, SentWithoutWaitingTheAnswerIsReadLaterAndTheNextStatementReadsItFirst) {
  Dsn dsn = notes_database();
  Connection c(dsn);
  Transaction tx(c);
  c.insert_later(kHead, row(c, 1, "one"));
  c.exec_later("DO SLEEP(0.3)");  // MySQL answers the COMMIT only after this
  tx.send_commit();
  EXPECT_TRUE(c.answer_awaited());
  EXPECT_FALSE(c.poll_answer()) << "MySQL cannot have answered yet";
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM notes"), 0) << "not committed yet";
  auto r = c.query("SELECT COUNT(*) FROM notes");  // reads the awaited answer first
  EXPECT_FALSE(c.answer_awaited());
  tx.committed();
  EXPECT_EQ(r.next()->i64(0), 1);
}

TEST(PendingSql, AFailureSentWithoutWaitingIsThrownWhereItsAnswerIsReadAndTheRollbackUndoesTheRest) {
  Dsn dsn = notes_database();
  Connection c(dsn);
  {
    Transaction tx(c);
    c.insert_later(kHead, row(c, 1, "first half"));
    c.exec_later("DO SLEEP(0.1)");
    c.insert_later(kHead, row(c, 1, "duplicate: fails after the first half ran"));
    tx.send_commit();
    auto read_all = [&] {
      while (!c.poll_answer()) {
        const auto wait = c.socket_wait();
        pollfd p{wait.fd, wait.events, 0};
        ::poll(&p, 1, 1000);
      }
    };
    EXPECT_THROW(read_all(), DbError);
    EXPECT_FALSE(c.answer_awaited());
  }  // never committed(): rolled back
  {
    Transaction tx(c);  // its START TRANSACTION must not commit the first half
    c.insert_later(kHead, row(c, 2, "second"));
    tx.commit();
  }
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM notes"), 1);
  EXPECT_EQ(query_number(dsn, "SELECT id FROM notes"), 2);
}

TEST(PendingSql, RowsBeyondTheSizeLimitAreSentInSeveralStatementsTheServerTakes) {
  Dsn dsn = notes_database();
  // A session takes the server's max_allowed_packet when it connects: this one gets 1 MiB (the
  // default is 16), and the server refuses a statement longer than that.
  const auto server_default = query_number(dsn, "SELECT @@GLOBAL.max_allowed_packet");
  exec_sql(dsn, "SET GLOBAL max_allowed_packet = 1048576");
  Connection c(dsn);
  exec_sql(dsn, "SET GLOBAL max_allowed_packet = " + std::to_string(server_default));
  const std::string body(10'000, 'x');
  constexpr int kRows = 500;  // ~5 MB of SQL: several sends, each below 1 MiB
  Transaction tx(c);
  for (int i = 1; i <= kRows; ++i) c.insert_later(kHead, row(c, i, body));
  tx.commit();
  EXPECT_EQ(query_number(dsn, "SELECT COUNT(*) FROM notes"), kRows);
  EXPECT_EQ(query_number(dsn, "SELECT SUM(LENGTH(body)) FROM notes"), kRows * 10'000);
}

}  // namespace
}  // namespace taskraft::store::testing

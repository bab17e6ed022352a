// One MySQL session (MariaDB Connector/C), with the session settings the store relies on.
//
// Guarantees:
// - Every session runs with utf8mb4, UTC, strict SQL mode and REPEATABLE READ, whatever the
//   server's defaults, so the same statements behave the same on MariaDB and MySQL 8.
// - Every failed statement throws DbError (nothing fails silently). After a lost connection the
//   next statement reconnects first; a transaction that was open is gone (MySQL rolled it back),
//   and the exception has already left the code that opened it.
// - Values reach SQL only through quote()/quote_bytes() or as numbers: no injection.
// - Statements deferred with exec_later() and rows queued with insert_later() reach MySQL, in
//   the order given (rows of one table sent as one multi-row statement), before the next
//   statement of any kind runs, and in the same round trip when that statement is an exec():
//   a read, a commit or any other write sees them. A rollback or a lost connection drops them
//   with the transaction they belonged to.
// - send_later_with() sends them without waiting for MySQL's answer; until that answer is read
//   (by poll_answer(), settle(), or first thing by the next statement of any kind) no other
//   statement goes out, and a statement of the batch that failed throws there, as DbError.
// Not thread-safe: one thread at a time per Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/dsn.h"

struct st_mysql;
struct st_mysql_res;

namespace taskraft::store {

// One row of a result: column values as text (the MySQL text protocol), NULL as nullopt.
class Row {
 public:
  Row(char** values, unsigned long* lengths) : values_(values), lengths_(lengths) {}
  bool null(unsigned i) const { return values_[i] == nullptr; }
  std::string_view view(unsigned i) const;  // "" for NULL
  std::string str(unsigned i) const { return std::string(view(i)); }
  std::optional<std::string> opt_str(unsigned i) const;
  std::int64_t i64(unsigned i) const;
  std::uint64_t u64(unsigned i) const;

 private:
  char** values_;
  unsigned long* lengths_;
};

class Result {
 public:
  explicit Result(st_mysql_res* res) : res_(res) {}
  ~Result();
  Result(Result&& other) noexcept : res_(other.res_) { other.res_ = nullptr; }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;

  std::optional<Row> next();
  unsigned columns() const;
  std::vector<std::string> column_names() const;
  bool column_is_number(unsigned i) const;  // an integer or decimal column

 private:
  st_mysql_res* res_;
};

class Connection {
 public:
  // Connects to dsn.database (which must exist) or, with use_database=false, to the server only.
  explicit Connection(const Dsn& dsn, bool use_database = true);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(std::string_view sql);
  Result query(std::string_view sql);   // the whole result, read into memory
  Result stream(std::string_view sql);  // rows read as next() asks; no other statement until done
  std::uint64_t affected_rows() const;
  // Defers a statement that returns nothing (it fails, if it does, with the next statement).
  void exec_later(std::string_view sql);
  // Queues one row for a multi-row INSERT or REPLACE. `head` names the table and columns
  // ("INSERT INTO t (a, b) VALUES"), `row` is the tuple of literals ("(1, 'x')"). A row joins
  // the rows of the same head queued since the last deferred statement, so a parent table queued
  // first precedes its children.
  void insert_later(std::string_view head, std::string_view row);
  // Sends what is deferred and queued now (every other statement does so first anyway).
  void send_pending() { send_pending_with({}); }
  // Sends what is deferred and queued, then `last`, in one multi-statement round trip, and
  // returns without waiting for the answer (the statements must return no rows).
  void send_later_with(std::string_view last);
  // Whether an answer to send_later_with() is still to be read.
  bool answer_awaited() const { return awaited_.has_value(); }
  // What to poll() for until the awaited answer can be read further: this session's socket and
  // the events the client library waits for.
  struct SocketWait {
    int fd;
    short events;
  };
  SocketWait socket_wait() const;
  // Reads what has arrived of the awaited answer without waiting; true once all of it is in
  // (or none is awaited). Throws DbError for the first statement that failed.
  bool poll_answer() { return read_answer(/*timeout_ms=*/0); }
  // Waits for all of the awaited answer; throws like poll_answer().
  void settle() {
    while (!read_answer(/*timeout_ms=*/-1)) {
    }
  }
  // Forgets what is deferred and queued (its transaction is being rolled back).
  void drop_pending() {
    pending_.clear();
    pending_bytes_ = 0;
  }

  std::string quote(std::string_view text) const;        // a string literal: 'it''s'
  // A hex literal: X'00ff'. Also how text is written into a column (the values of INSERT and
  // UPDATE ... SET): the server parses it for less than a quoted string (no unescaping, no
  // conversion of the literal to name it: about a tenth of a node's MariaDB CPU per create),
  // and the column takes its bytes as its own character set, refusing them if not well formed.
  // Never compare a text column with it: a byte string compares bytes, not the column's collation.
  static std::string quote_bytes(std::string_view bytes);
  static std::string quote_name(std::string_view name);    // an identifier: `name`

  const Dsn& dsn() const { return dsn_; }
  // True after a lost connection, until the next statement reconnects.
  bool broken() const { return broken_ || !db_; }

 private:
  void connect();
  void ensure_connected();
  void run(std::string_view sql);
  Result result(std::string_view sql, bool streaming);
  [[noreturn]] void fail(std::string_view sql);

  // Sends the pending statements and then `last` (when not empty) in one multi-statement round
  // trip, reading every result; throws for the first that fails (later ones did not run).
  void send_pending_with(std::string_view last);
  std::string pending_sql(std::string_view last);
  void run_all(std::string_view sql);
  // Polls the socket up to `timeout_ms` (-1: no limit), then moves the awaited answer on as far
  // as it can without waiting; true once it is all read.
  bool read_answer(int timeout_ms);
  // Goes on after a non-blocking call of the client library returned `status` (the events it
  // waits for; 0 when it finished, with `ret`); true once the whole answer is read.
  bool advance_answer(int status, int ret);

  // Pending SQL beyond pending_limit_ bytes goes out at once, in a statement the server takes:
  // half its max_allowed_packet (read at connect), at most kMaxPendingLimit. While a commit is on
  // its way that send waits for it, so the apply thread decides ahead of a slow commit until
  // this much SQL has queued: at 8 MiB about 1.4 s at 4,500 creates/s (at 1 MiB, 0.2 s: the
  // wait was the 50-120 ms tail of spread creates at half load, measured).
  static constexpr std::size_t kMaxPendingLimit = 8 << 20;
  std::size_t pending_limit_ = 0;  // set by connect()
  // A deferred statement (`head` empty, the statement in `rows`) or the rows of one INSERT.
  struct Pending {
    std::string head;
    std::string rows;
  };

  Dsn dsn_;
  bool use_database_;
  st_mysql* db_ = nullptr;
  bool broken_ = false;
  std::vector<Pending> pending_;
  std::size_t pending_bytes_ = 0;
  // The statements sent by send_later_with() while their answer is read: `status` is what the
  // client library last said it waits for, `first` that it waits for the first statement's
  // answer (mysql_real_query) rather than a later one's (mysql_next_result).
  struct Awaited {
    std::string sql;
    int status;
    bool first;
  };
  std::optional<Awaited> awaited_;
};

// A transaction on a connection: rolled back on destruction unless committed.
class Transaction {
 public:
  // kConsistentSnapshot: read-only, and every read sees the state of its start (REPEATABLE READ).
  enum class Kind { kReadWrite, kConsistentSnapshot };
  explicit Transaction(Connection& c, Kind kind = Kind::kReadWrite);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();
  // The COMMIT sent without waiting (Connection::send_later_with): the transaction counts as open,
  // and its destruction rolls it back, until committed() says the answer came back without error.
  void send_commit();
  void committed() { open_ = false; }

 private:
  Connection& c_;
  bool open_ = true;
};

}  // namespace taskraft::store

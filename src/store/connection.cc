// MySQL sessions over MariaDB Connector/C (see connection.h).
#include "store/connection.h"

#include <errmsg.h>
#include <mysql.h>

#include <poll.h>

#include <cerrno>

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <mutex>

#include "store/error.h"
#include "store/hex.h"

namespace taskraft::store {
namespace {

// mysql_library_init is not thread-safe; every connection goes through here first.
void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

// Errors after which the session is gone (its transaction rolled back by the server).
bool connection_lost(unsigned code) {
  constexpr unsigned kServerShutdown = 1053, kConnectionKilled = 1927;  // ER_* of MySQL/MariaDB
  return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST || code == CR_CONNECTION_ERROR ||
         code == CR_CONN_HOST_ERROR || code == kServerShutdown || code == kConnectionKilled;
}

constexpr std::string_view kSessionSetup =
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY', "
    "time_zone = '+00:00', autocommit = 1";

template <typename T>
T parse_number(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    throw DbError(0, "expected a number from MySQL, got '" + std::string(s) + "'");
  }
  return v;
}

}  // namespace

std::string_view Row::view(unsigned i) const {
  return values_[i] ? std::string_view(values_[i], lengths_[i]) : std::string_view();
}

std::optional<std::string> Row::opt_str(unsigned i) const {
  if (null(i)) return std::nullopt;
  return str(i);
}

std::int64_t Row::i64(unsigned i) const { return parse_number<std::int64_t>(view(i)); }
std::uint64_t Row::u64(unsigned i) const { return parse_number<std::uint64_t>(view(i)); }

Result::~Result() {
  if (res_) mysql_free_result(res_);
}

std::optional<Row> Result::next() {
  MYSQL_ROW row = mysql_fetch_row(res_);
  if (!row) {
    MYSQL* db = res_->handle;
    if (db && mysql_errno(db)) throw DbError(mysql_errno(db), mysql_error(db));
    return std::nullopt;
  }
  return Row(row, mysql_fetch_lengths(res_));
}

unsigned Result::columns() const { return mysql_num_fields(res_); }

bool Result::column_is_number(unsigned i) const {
  assert(i < columns());
  return IS_NUM(mysql_fetch_fields(res_)[i].type);
}

std::vector<std::string> Result::column_names() const {
  std::vector<std::string> names;
  MYSQL_FIELD* fields = mysql_fetch_fields(res_);
  for (unsigned i = 0; i < columns(); ++i) names.emplace_back(fields[i].name, fields[i].name_length);
  return names;
}

Connection::Connection(const Dsn& dsn, bool use_database) : dsn_(dsn), use_database_(use_database) {
  init_library();
  connect();
}

Connection::~Connection() {
  if (!db_) return;
  try {
    settle();  // the client library must not be closed in the middle of reading an answer
  } catch (const DbError&) {
  }
  mysql_close(db_);
}

void Connection::connect() {
  if (db_) mysql_close(db_);
  db_ = mysql_init(nullptr);
  if (!db_) throw DbError(CR_OUT_OF_MEMORY, "mysql_init failed");
  unsigned connect_timeout = 5;
  mysql_options(db_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(db_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_options(db_, MYSQL_OPT_NONBLOCK, nullptr);  // for send_later_with(); blocking calls work as before
  const char* socket = dsn_.socket.empty() ? nullptr : dsn_.socket.c_str();
  const char* database = use_database_ ? dsn_.database.c_str() : nullptr;
  if (!mysql_real_connect(db_, dsn_.host.c_str(), dsn_.user.c_str(), dsn_.password.c_str(), database,
                          dsn_.port, socket, CLIENT_MULTI_STATEMENTS)) {
    unsigned code = mysql_errno(db_);
    std::string message = "cannot connect to " + describe(dsn_) + ": " + mysql_error(db_);
    mysql_close(db_);
    db_ = nullptr;
    broken_ = true;
    throw DbError(code, message);
  }
  broken_ = false;
  awaited_.reset();
  drop_pending();  // it belonged to a transaction the lost session took with it
  run(kSessionSetup);
  run("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  const auto max_allowed_packet = query("SELECT @@max_allowed_packet").next()->u64(0);
  pending_limit_ = std::clamp<std::size_t>(max_allowed_packet / 2, 16 << 10, kMaxPendingLimit);
}

void Connection::ensure_connected() {
  if (broken_ || !db_) connect();
}

void Connection::fail(std::string_view sql) {
  unsigned code = mysql_errno(db_);
  if (connection_lost(code)) broken_ = true;
  std::string shown(sql.substr(0, 200));
  std::string message = std::string(mysql_error(db_)) + " [" + shown + (sql.size() > 200 ? "...]" : "]");
  awaited_.reset();  // after the message: `sql` may be its text
  throw DbError(code, message);
}

void Connection::run(std::string_view sql) {
  if (mysql_real_query(db_, sql.data(), sql.size()) != 0) fail(sql);
}

void Connection::exec_later(std::string_view sql) {
  pending_.push_back(Pending{{}, std::string(sql)});
  pending_bytes_ += sql.size() + 2;
}

void Connection::insert_later(std::string_view head, std::string_view row) {
  auto since_last_statement = std::find_if(pending_.rbegin(), pending_.rend(), [](const Pending& p) {
                                return p.head.empty();
                              }).base();
  auto it = std::find_if(since_last_statement, pending_.end(), [&](const Pending& p) { return p.head == head; });
  if (it == pending_.end()) it = pending_.insert(pending_.end(), Pending{std::string(head), {}});
  if (!it->rows.empty()) it->rows += ", ";
  it->rows += row;
  pending_bytes_ += row.size() + 2;
  if (pending_bytes_ > pending_limit_) send_pending();
}

void Connection::send_pending_with(std::string_view last) {
  settle();
  ensure_connected();
  if (pending_.empty()) {
    if (!last.empty()) run_all(last);
    return;
  }
  run_all(pending_sql(last));
}

std::string Connection::pending_sql(std::string_view last) {
  std::string sql;
  for (const Pending& p : pending_) {
    if (!sql.empty()) sql += ";\n";
    sql += p.head.empty() ? p.rows : p.head + " " + p.rows;
  }
  if (!last.empty()) (sql.empty() ? sql : sql += ";\n") += last;
  drop_pending();
  return sql;
}

void Connection::send_later_with(std::string_view last) {
  settle();
  ensure_connected();
  std::string sql = pending_sql(last);
  if (sql.empty()) return;
  awaited_ = Awaited{std::move(sql), 0, true};
  int ret = 0;
  const int status = mysql_real_query_start(&ret, db_, awaited_->sql.data(), awaited_->sql.size());
  advance_answer(status, ret);
}

Connection::SocketWait Connection::socket_wait() const {
  assert(awaited_ && "nothing is awaited");
  short events = 0;
  if (awaited_->status & MYSQL_WAIT_READ) events |= POLLIN;
  if (awaited_->status & MYSQL_WAIT_WRITE) events |= POLLOUT;
  if (awaited_->status & MYSQL_WAIT_EXCEPT) events |= POLLPRI;
  return {static_cast<int>(mysql_get_socket(db_)), events};
}

bool Connection::read_answer(int timeout_ms) {
  if (!awaited_) return true;
  const SocketWait wait = socket_wait();
  pollfd p{wait.fd, wait.events, 0};
  const int n = ::poll(&p, 1, timeout_ms);
  if (n == 0 || (n < 0 && errno == EINTR)) return false;
  // An error or hang-up (or a failed poll) is passed on as readable: the library's read then
  // reports it.
  int ready = (n < 0 || (p.revents & (POLLIN | POLLERR | POLLHUP))) ? MYSQL_WAIT_READ : 0;
  if (p.revents & POLLOUT) ready |= MYSQL_WAIT_WRITE;
  if (p.revents & POLLPRI) ready |= MYSQL_WAIT_EXCEPT;
  int ret = 0;
  const int status = awaited_->first ? mysql_real_query_cont(&ret, db_, ready)
                                     : mysql_next_result_cont(&ret, db_, ready);
  return advance_answer(status, ret);
}

bool Connection::advance_answer(int status, int ret) {
  for (;;) {
    if (status != 0) {
      awaited_->status = status;
      return false;
    }
    // mysql_real_query: 0 is success; mysql_next_result: 0 another result, -1 no more, >0 error.
    if (ret > 0 || (awaited_->first && ret != 0)) fail(awaited_->sql);
    if (ret < 0) break;
    awaited_->first = false;
    if (MYSQL_RES* res = mysql_store_result(db_)) mysql_free_result(res);  // as run_all() does
    if (!mysql_more_results(db_)) break;
    status = mysql_next_result_start(&ret, db_);
  }
  awaited_.reset();
  return true;
}

void Connection::run_all(std::string_view sql) {
  run(sql);
  for (;;) {
    // A statement that unexpectedly returns rows must not leave them pending.
    if (MYSQL_RES* res = mysql_store_result(db_)) mysql_free_result(res);
    int next = mysql_next_result(db_);
    if (next > 0) fail(sql);
    if (next < 0) return;
  }
}

void Connection::exec(std::string_view sql) { send_pending_with(sql); }

Result Connection::query(std::string_view sql) { return result(sql, /*streaming=*/false); }
Result Connection::stream(std::string_view sql) { return result(sql, /*streaming=*/true); }

Result Connection::result(std::string_view sql, bool streaming) {
  send_pending();  // which first reads an awaited answer
  run(sql);
  MYSQL_RES* res = streaming ? mysql_use_result(db_) : mysql_store_result(db_);
  if (!res) {
    if (mysql_errno(db_)) fail(sql);
    throw DbError(0, "statement returned no result set [" + std::string(sql.substr(0, 200)) + "]");
  }
  return Result(res);
}

std::uint64_t Connection::affected_rows() const { return mysql_affected_rows(db_); }

std::string Connection::quote(std::string_view text) const {
  // What mysql_real_escape_string does for this session, without its per-character calls into
  // the character set (measured on the leader's apply thread at 64 clients: 18% of its CPU with
  // the library's function, 5% with this one): the session's character set is
  // utf8mb4, where no byte of a multi-byte character is below 0x80, so escaping these ASCII bytes
  // is all there is to it; and kSessionSetup's sql_mode keeps backslash escapes on.
  std::string out;
  out.reserve(text.size() + text.size() / 8 + 2);
  out += '\'';
  static constexpr auto kEscaped = [] {
    std::array<const char*, 256> escaped{};  // nullptr: the byte stands for itself
    escaped['\0'] = "\\0";
    escaped['\n'] = "\\n";
    escaped['\r'] = "\\r";
    escaped['\\'] = "\\\\";
    escaped['\''] = "\\'";
    escaped['"'] = "\\\"";
    escaped['\032'] = "\\Z";
    return escaped;
  }();
  std::size_t plain = 0;  // the start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* escaped = kEscaped[static_cast<unsigned char>(text[i])];
    if (!escaped) continue;
    out.append(text.substr(plain, i - plain));
    out += escaped;
    plain = i + 1;
  }
  out.append(text.substr(plain));
  out += '\'';
  return out;
}

std::string Connection::quote_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2 + 3);
  out += "X'";
  hex_append(out, bytes);
  out += '\'';
  return out;
}

std::string Connection::quote_name(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

Transaction::Transaction(Connection& c, Kind kind) : c_(c) {
  if (kind == Kind::kConsistentSnapshot) {
    c_.exec("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");  // the snapshot is taken now
  } else {
    c_.exec_later("START TRANSACTION");  // goes out with the transaction's first statement
  }
}

Transaction::~Transaction() {
  if (!open_ || c_.broken()) return;  // a lost connection took its transaction with it
  c_.drop_pending();
  try {
    // An answer still awaited is read first, failed or not, so that its error cannot stand in
    // for the ROLLBACK's: the statements it answers are rolled back too.
    try {
      c_.settle();
    } catch (const DbError&) {
      if (c_.broken()) return;
    }
    c_.exec("ROLLBACK");
  } catch (const DbError&) {
    // Lost just now: MySQL rolls back the transaction of a closed session.
  }
}

void Transaction::send_commit() {
  assert(open_);
  c_.send_later_with("COMMIT");
}

void Transaction::commit() {
  assert(open_);
  // Still open if this throws: a statement sent with the COMMIT may have failed, leaving the
  // transaction open on the server, and the destructor must roll it back (the next START
  // TRANSACTION would otherwise commit its first half).
  c_.exec("COMMIT");
  open_ = false;
}

}  // namespace taskraft::store

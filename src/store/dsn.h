// Where a store's MySQL database is: parsing of `mysql://user:pass@host:port/dbname?socket=PATH`.
//
// Guarantees: parse_dsn accepts exactly that shape (every part but the scheme optional, user and
// password percent-decoded) and rejects anything else with nullopt; a parsed database name is
// always a plain identifier ([A-Za-z0-9_], 1-64 characters), safe to use quoted in DDL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace taskraft::store {

struct Dsn {
  std::string user = "root";
  std::string password;
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string database = "taskraft";  // used when the DSN names none
  std::string socket;                 // when set, the connection uses this Unix socket

  friend bool operator==(const Dsn&, const Dsn&) = default;
};

std::optional<Dsn> parse_dsn(std::string_view text);

// The DSN without its password, for logs and error messages.
std::string describe(const Dsn& dsn);

}  // namespace taskraft::store

// The integration tests' MySQL server and databases (see mysql_fixture.h).
#include "mysql_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

#include "store/connection.h"

namespace taskraft::store::testing {
namespace {

const std::string kScript = std::string(TASKRAFT_SOURCE_DIR) + "/scripts/mariadb-private";

bool port_free(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Runs `mariadb-private start dir port` and returns the DSN it prints, or nullopt on failure.
std::optional<std::string> start_private(const std::string& dir, int port) {
  std::string cmd = kScript + " start '" + dir + "' " + std::to_string(port);
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  std::array<char, 256> buf;
  while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
  if (::pclose(p) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string start_on_free_port(const std::string& dir) {
  for (int port = 23061; port <= 23099; ++port) {
    if (!port_free(port)) continue;
    if (auto dsn = start_private(dir, port)) return *dsn;
  }
  throw std::runtime_error("could not start a private MariaDB in " + dir + " on any port of 23061-23099");
}

// Owns the temporary private server of a process run by hand.
class PrivateServer : public ::testing::Environment {
 public:
  void TearDown() override {
    if (dir_.empty()) return;
    std::string cmd = kScript + " stop '" + dir_ + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "could not stop the MariaDB in %s\n", dir_.c_str());
    std::filesystem::remove_all(dir_);
  }
  std::string start() {
    char tmpl[] = "/tmp/taskraft-store-test-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    return start_on_free_port(dir_ + "/db");
  }

 private:
  std::string dir_;
};

PrivateServer* const g_private = static_cast<PrivateServer*>(::testing::AddGlobalTestEnvironment(new PrivateServer));

const Dsn& server() {
  static const Dsn dsn = [] {
    std::string text;
    if (const char* env = std::getenv("TASKRAFT_TEST_MYSQL"); env && *env) {
      text = env;
    } else if (const char* dir = std::getenv("TASKRAFT_TEST_MYSQL_DIR"); dir && *dir) {
      text = start_on_free_port(dir);
    } else {
      text = g_private->start();
    }
    auto parsed = parse_dsn(text);
    if (!parsed) throw std::runtime_error("bad MySQL DSN for the tests: " + text);
    return *parsed;
  }();
  return dsn;
}

std::string database_name(const std::string& suffix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "t_" + std::string(info->test_suite_name()) + "_" + info->name();
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  if (!suffix.empty()) name = name.substr(0, 60 - suffix.size()) + "_" + suffix;
  return name.substr(0, 64);
}

}  // namespace

Dsn fresh_database(const std::string& suffix) {
  Dsn dsn = server();
  dsn.database = database_name(suffix);
  Connection c(dsn, /*use_database=*/false);
  c.exec("DROP DATABASE IF EXISTS " + Connection::quote_name(dsn.database));
  return dsn;
}

std::string dump_state(const Dsn& dsn) {
  Connection c(dsn);
  std::vector<std::string> tables;
  {
    auto r = c.query("SHOW TABLES");
    while (auto row = r.next()) {
      if (row->view(0) != "schema_migrations") tables.push_back(row->str(0));
    }
  }
  std::sort(tables.begin(), tables.end());
  std::string dump;
  for (const std::string& table : tables) {
    std::vector<std::string> rows;
    auto r = c.query("SELECT * FROM " + Connection::quote_name(table));
    std::vector<std::string> names = r.column_names();
    while (auto row = r.next()) {
      std::string line;
      for (unsigned i = 0; i < r.columns(); ++i) {
        line += " " + names[i] + "=" + (row->null(i) ? "NULL" : "'" + row->str(i) + "'");
      }
      rows.push_back(std::move(line));
    }
    std::sort(rows.begin(), rows.end());
    dump += "[" + table + "]\n";
    for (const std::string& row : rows) dump += row + "\n";
  }
  return dump;
}

std::uint64_t state_checksum(const Dsn& dsn) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : dump_state(dsn)) h = (h ^ c) * 1099511628211ull;
  return h;
}

void exec_sql(const Dsn& dsn, const std::string& sql) { Connection(dsn).exec(sql); }

std::int64_t query_number(const Dsn& dsn, const std::string& sql) {
  Connection c(dsn);
  auto r = c.query(sql);
  auto row = r.next();
  if (!row) throw std::runtime_error("no row from: " + sql);
  return row->i64(0);
}

}  // namespace taskraft::store::testing

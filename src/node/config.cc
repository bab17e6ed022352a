// Implements config.h with CLI11; every flag also reads TASKRAFT_<FLAG> from the environment.
#include "node/config.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "store/dsn.h"
#include "transport/peer_address.h"

namespace taskraft::node {
namespace {

std::optional<std::string> read_secret_file(const std::string& path, const char* flag,
                                            std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::string(flag) + ": cannot read " + path;
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.empty()) {
    *error = std::string(flag) + ": " + path + " is empty";
    return std::nullopt;
  }
  return s;
}

// A DSN as given, with whatever stands between "user:" and the last "@" masked: error messages
// must not show a password, even of a DSN that does not parse.
std::string without_password(std::string dsn) {
  const auto start = dsn.find("://");
  const auto at = dsn.rfind('@');
  if (start == std::string::npos || at == std::string::npos || at < start) return dsn;
  const auto colon = dsn.find(':', start + 3);
  if (colon == std::string::npos || colon > at) return dsn;
  return dsn.replace(colon + 1, at - colon - 1, "***");
}

std::string port_of(const std::string& addr) { return addr.substr(addr.rfind(':') + 1); }

std::string ip_of(const std::string& addr) { return addr.substr(0, addr.rfind(':')); }

}  // namespace

std::optional<std::map<raft::NodeId, MemberAddrs>> parse_initial_cluster(
    const std::string& text, const std::string& default_http_port, std::string* error) {
  std::map<raft::NodeId, MemberAddrs> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      *error = "--initial-cluster: \"" + item + "\" is not of the form id=ip:port";
      return std::nullopt;
    }
    raft::NodeId id = 0;
    try {
      std::size_t used = 0;
      id = std::stoull(item.substr(0, eq), &used);
      if (used != eq) throw std::invalid_argument("id");
    } catch (const std::exception&) {
      id = 0;
    }
    if (id == 0) {
      *error = "--initial-cluster: \"" + item.substr(0, eq) + "\" is not a node id (1 or more)";
      return std::nullopt;
    }
    std::string rest = item.substr(eq + 1);
    auto slash = rest.find('/');
    MemberAddrs addrs{rest.substr(0, slash), ""};
    if (slash != std::string::npos) addrs.http_addr = rest.substr(slash + 1);
    if (!transport::parse_peer_address(addrs.peer_addr) || port_of(addrs.peer_addr) == "0") {
      *error = "--initial-cluster: node " + std::to_string(id) + " has a bad peer address \"" +
               addrs.peer_addr + "\" (want ip:port)";
      return std::nullopt;
    }
    if (addrs.http_addr.empty()) addrs.http_addr = ip_of(addrs.peer_addr) + ":" + default_http_port;
    if (!transport::parse_peer_address(addrs.http_addr)) {
      *error = "--initial-cluster: node " + std::to_string(id) + " has a bad HTTP address \"" +
               addrs.http_addr + "\" (want ip:port)";
      return std::nullopt;
    }
    if (!out.emplace(id, addrs).second) {
      *error = "--initial-cluster: node " + std::to_string(id) + " is listed twice";
      return std::nullopt;
    }
  }
  if (out.empty()) {
    *error = "--initial-cluster: no members given";
    return std::nullopt;
  }
  return out;
}

ParseResult parse_config(int argc, char** argv) {
  NodeConfig c;
  std::string initial, secret_file, admin_file, mysql, mysql_password_file, data_dir;
  CLI::App app{"taskraftd: a taskraft node (Raft-replicated task store on MySQL)"};
  app.set_version_flag("--version", std::string("taskraftd ") + TASKRAFT_VERSION);
  app.add_option("--id", c.id, "this node's id (1 or more)")->required()->envname("TASKRAFT_ID");
  app.add_option("--peer-addr", c.peer_addr, "ip:port for peers; also the IP peer connections leave from")
      ->required()->envname("TASKRAFT_PEER_ADDR");
  app.add_option("--http-addr", c.http_addr, "ip:port of the REST API")
      ->required()->envname("TASKRAFT_HTTP_ADDR");
  app.add_option("--initial-cluster", initial, "id=ip:port[/http ip:port],... (first start only)")
      ->envname("TASKRAFT_INITIAL_CLUSTER");
  app.add_option("--join", c.join_url, "http://ip:port of a member to join as a learner")
      ->envname("TASKRAFT_JOIN");
  app.add_option("--data-dir", data_dir, "WAL and node identity")->required()->envname("TASKRAFT_DATA_DIR");
  app.add_option("--mysql", mysql, "mysql://user[:pass]@host:port/db (created if missing)")
      ->required()->envname("TASKRAFT_MYSQL");
  app.add_option("--mysql-password-file", mysql_password_file, "the MySQL password, instead of one in --mysql")
      ->envname("TASKRAFT_MYSQL_PASSWORD_FILE");
  app.add_option("--cluster-secret-file", secret_file, "shared secret; peers without it are refused")
      ->required()->envname("TASKRAFT_CLUSTER_SECRET_FILE");
  app.add_option("--admin-password-file", admin_file, "creates user admin at first bootstrap")
      ->envname("TASKRAFT_ADMIN_PASSWORD_FILE");
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))->envname("TASKRAFT_LOG_LEVEL");
  app.add_flag("--log-json", c.log_json, "one JSON object per log line")->envname("TASKRAFT_LOG_JSON");
  app.add_option("--tick-ms", c.tick_ms, "Raft tick length in milliseconds")
      ->check(CLI::Range(5, 1000))->envname("TASKRAFT_TICK_MS");
  app.add_option("--election-ticks", c.election_ticks, "ticks without a leader before an election")
      ->check(CLI::Range(3, 1000))->envname("TASKRAFT_ELECTION_TICKS");
  app.add_option("--task-cache-mb", c.task_cache_mb, "memory for task bodies that gets answer from (0: none)")
      ->check(CLI::Range(0, 1 << 20))->envname("TASKRAFT_TASK_CACHE_MB");
  app.add_option("--propose-window-us", c.propose_window_us,
                 "microseconds the leader may hold a write for others to share its append, while "
                 "enough writes are in flight (0: never)")
      ->check(CLI::Range(0, 100000))->envname("TASKRAFT_PROPOSE_WINDOW_US");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return ParseExit{0};
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    return ParseExit{0};
  } catch (const CLI::ParseError& e) {
    return ParseError{e.what()};
  }

  c.data_dir = data_dir;
  if (c.id == 0) return ParseError{"--id: must be 1 or more"};
  if (!transport::parse_peer_address(c.peer_addr) || port_of(c.peer_addr) == "0")
    return ParseError{"--peer-addr: \"" + c.peer_addr + "\" is not ip:port"};
  if (!transport::parse_peer_address(c.http_addr))
    return ParseError{"--http-addr: \"" + c.http_addr + "\" is not ip:port"};
  auto dsn = store::parse_dsn(mysql);
  if (!dsn)
    return ParseError{"--mysql: \"" + without_password(mysql) +
                      "\" is not mysql://user[:password]@host:port/database"};
  std::string error;
  if (!mysql_password_file.empty()) {
    if (!dsn->password.empty())
      return ParseError{"--mysql-password-file: --mysql has a password too; give it in one place"};
    auto password = read_secret_file(mysql_password_file, "--mysql-password-file", &error);
    if (!password) return ParseError{error};
    dsn->password = *password;
  }
  c.mysql = *dsn;
  auto secret = read_secret_file(secret_file, "--cluster-secret-file", &error);
  if (!secret) return ParseError{error};
  c.cluster_secret = *secret;
  if (!admin_file.empty()) {
    c.admin_password = read_secret_file(admin_file, "--admin-password-file", &error);
    if (!c.admin_password) return ParseError{error};
  }
  if (!initial.empty() && !c.join_url.empty())
    return ParseError{"--initial-cluster and --join exclude each other: bootstrap a cluster or join one"};
  if (!initial.empty()) {
    auto members = parse_initial_cluster(initial, port_of(c.http_addr), &error);
    if (!members) return ParseError{error};
    auto self = members->find(c.id);
    if (self == members->end()) {
      std::string ids;
      for (const auto& [id, a] : *members) ids += (ids.empty() ? "" : ",") + std::to_string(id);
      return ParseError{"--id " + std::to_string(c.id) + " is not in --initial-cluster (" + ids + ")"};
    }
    if (self->second.peer_addr != c.peer_addr)
      return ParseError{"--initial-cluster gives node " + std::to_string(c.id) + " the address " +
                        self->second.peer_addr + " but --peer-addr is " + c.peer_addr};
    self->second.http_addr = c.http_addr;
    c.initial_cluster = std::move(*members);
  }
  if (!c.join_url.empty() && c.join_url.rfind("http://", 0) != 0)
    return ParseError{"--join: \"" + c.join_url + "\" is not http://ip:port"};
  return c;
}

}  // namespace taskraft::node

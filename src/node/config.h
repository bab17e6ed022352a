// The operator interface of taskraftd (API.md): flags, their TASKRAFT_* environment twins, and
// the checks that turn a misconfiguration into one clear line instead of a failure later.
//
// Guarantees: a NodeConfig returned by parse_config is internally consistent: the id is in the
// initial cluster (when one is given) under this node's own --peer-addr, addresses parse, the
// secret is non-empty. Checks that need the outside world (MySQL reachable, the data dir's
// recorded identity) happen at start-up in node.cc and fail with the same one-line style.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "raft/types.h"
#include "store/dsn.h"

namespace taskraft::node {

struct MemberAddrs {
  std::string peer_addr;  // "ip:port" of the peer transport
  std::string http_addr;  // "ip:port" of the REST API ("" while unknown)

  friend bool operator==(const MemberAddrs&, const MemberAddrs&) = default;
};

struct NodeConfig {
  raft::NodeId id = raft::kNoNode;
  std::string peer_addr;
  std::string http_addr;
  // --initial-cluster "1=ip:port,2=ip:port" (each entry may add "/ip:port" for its HTTP address;
  // without it the HTTP address is taken to be the peer IP with this node's own HTTP port).
  std::map<raft::NodeId, MemberAddrs> initial_cluster;
  std::string join_url;  // --join http://ip:port of any member
  std::filesystem::path data_dir;
  store::Dsn mysql;  // --mysql, parsed, with the password of --mysql-password-file
  std::string cluster_secret;  // the file's bytes, trailing newline removed
  std::optional<std::string> admin_password;
  std::string log_level = "info";
  bool log_json = false;
  int tick_ms = 50;
  int election_ticks = 20;
  int task_cache_mb = 64;  // task bodies kept in memory for gets (0: none)
  int propose_window_us = 1000;  // how long the leader lets a write wait for others (0: never)
};

// Either the configuration, an exit code with nothing more to do (--help, --version), or
// the one line that says what is wrong.
struct ParseExit {
  int code = 0;
};
struct ParseError {
  std::string message;
};
using ParseResult = std::variant<NodeConfig, ParseExit, ParseError>;

ParseResult parse_config(int argc, char** argv);

// "1=ip:port[/ip:port],..." into members; nullopt with `error` filled when malformed.
std::optional<std::map<raft::NodeId, MemberAddrs>> parse_initial_cluster(
    const std::string& text, const std::string& default_http_port, std::string* error);

}  // namespace taskraft::node

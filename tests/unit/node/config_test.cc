// parse_config(): taskraftd's flags and their TASKRAFT_* twins, and the one line each
// misconfiguration gets instead of a start.
#include "node/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/dsn.h"

namespace taskraft::node {
namespace {

namespace fs = std::filesystem;

class Config : public ::testing::Test {
 protected:
  Config() : dir_(fs::temp_directory_path() / ("taskraft-config-test-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    secret_ = write("secret", "s3cret\n");
    for (const char* name : {"TASKRAFT_MYSQL", "TASKRAFT_MYSQL_PASSWORD_FILE", "TASKRAFT_JOIN",
                             "TASKRAFT_INITIAL_CLUSTER", "TASKRAFT_ID"})
      ::unsetenv(name);
  }
  ~Config() override {
    ::unsetenv("TASKRAFT_MYSQL_PASSWORD_FILE");
    fs::remove_all(dir_);
  }

  std::string write(const std::string& name, const std::string& contents) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << contents;
    return p.string();
  }

  using Flags = std::vector<std::pair<std::string, std::string>>;

  // The flags of a valid node 1, with `changes` replacing a flag of the same name or added.
  ParseResult parse(const Flags& changes) {
    Flags flags = {{"--id", "1"},
                   {"--peer-addr", "127.0.0.2:7000"},
                   {"--http-addr", "127.0.0.2:8000"},
                   {"--data-dir", (dir_ / "data").string()},
                   {"--cluster-secret-file", secret_},
                   {"--mysql", "mysql://taskraft@127.0.0.1:3306/t1"}};
    for (const auto& change : changes) {
      auto same = std::find_if(flags.begin(), flags.end(), [&](const auto& f) { return f.first == change.first; });
      if (same != flags.end()) {
        same->second = change.second;
      } else {
        flags.push_back(change);
      }
    }
    std::vector<std::string> args = {"taskraftd"};
    for (const auto& [name, value] : flags) {
      args.push_back(name);
      args.push_back(value);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return parse_config(static_cast<int>(argv.size()), argv.data());
  }

  // The error line of a configuration that must be refused.
  std::string refused(const Flags& changes) {
    auto r = parse(changes);
    if (auto* e = std::get_if<ParseError>(&r)) return e->message;
    ADD_FAILURE() << "accepted";
    return "";
  }

  fs::path dir_;
  std::string secret_;
};

TEST_F(Config, AValidNodeParsesWithItsSecretWithoutTheNewline) {
  auto r = parse({{"--initial-cluster", "1=127.0.0.2:7000,2=127.0.0.3:7000"}});
  ASSERT_TRUE(std::holds_alternative<NodeConfig>(r));
  const auto& c = std::get<NodeConfig>(r);
  EXPECT_EQ(c.id, 1u);
  EXPECT_EQ(c.cluster_secret, "s3cret");
  EXPECT_EQ(c.initial_cluster.at(2).http_addr, "127.0.0.3:8000");
}

TEST_F(Config, TheMysqlPasswordComesFromItsFileWhateverItHolds) {
  const std::string pw = write("mysql_password", "p@ss:w/rd%\n");
  auto r = parse({{"--mysql-password-file", pw}});
  ASSERT_TRUE(std::holds_alternative<NodeConfig>(r));
  const store::Dsn& dsn = std::get<NodeConfig>(r).mysql;
  EXPECT_EQ(dsn.password, "p@ss:w/rd%");
  EXPECT_EQ(dsn.user, "taskraft");
  EXPECT_EQ(dsn.database, "t1");

  ::setenv("TASKRAFT_MYSQL_PASSWORD_FILE", pw.c_str(), 1);  // the environment twin
  auto from_env = parse({});
  ASSERT_TRUE(std::holds_alternative<NodeConfig>(from_env));
  EXPECT_EQ(std::get<NodeConfig>(from_env).mysql.password, "p@ss:w/rd%");
}

TEST_F(Config, TheMysqlPasswordIsGivenInOnePlaceAndItsFileMustHoldOne) {
  const std::string pw = write("mysql_password", "x");
  EXPECT_EQ(refused({{"--mysql-password-file", pw}, {"--mysql", "mysql://taskraft:y@127.0.0.1:3306/t1"}}),
            "--mysql-password-file: --mysql has a password too; give it in one place");
  const std::string missing = (dir_ / "missing").string();
  EXPECT_EQ(refused({{"--mysql-password-file", missing}}), "--mysql-password-file: cannot read " + missing);
  const std::string empty = write("empty", "\n");
  EXPECT_EQ(refused({{"--mysql-password-file", empty}}), "--mysql-password-file: " + empty + " is empty");
}

TEST_F(Config, AMalformedDsnIsNamedWithoutItsPassword) {
  const std::string line = refused({{"--mysql", "mysql://taskraft:hunter2@127.0.0.1:99999/t1"}});
  EXPECT_EQ(line, "--mysql: \"mysql://taskraft:***@127.0.0.1:99999/t1\" is not "
                  "mysql://user[:password]@host:port/database");
  EXPECT_EQ(refused({{"--mysql", "postgres://a/b"}}), "--mysql: \"postgres://a/b\" is not mysql://user[:password]@host:port/database");
}

TEST_F(Config, EachMisconfigurationGetsItsOwnLine) {
  EXPECT_EQ(refused({{"--id", "0"}}), "--id: must be 1 or more");
  EXPECT_EQ(refused({{"--peer-addr", "localhost:7000"}}), "--peer-addr: \"localhost:7000\" is not ip:port");
  EXPECT_EQ(refused({{"--http-addr", "127.0.0.2"}}), "--http-addr: \"127.0.0.2\" is not ip:port");
  EXPECT_EQ(refused({{"--cluster-secret-file", (dir_ / "nope").string()}}),
            "--cluster-secret-file: cannot read " + (dir_ / "nope").string());
  EXPECT_EQ(refused({{"--initial-cluster", "2=127.0.0.3:7000,3=127.0.0.4:7000"}}),
            "--id 1 is not in --initial-cluster (2,3)");
  EXPECT_EQ(refused({{"--initial-cluster", "1=127.0.0.9:7000"}}),
            "--initial-cluster gives node 1 the address 127.0.0.9:7000 but --peer-addr is 127.0.0.2:7000");
  EXPECT_EQ(refused({{"--initial-cluster", "1=127.0.0.2:7000"}, {"--join", "http://127.0.0.3:8000"}}),
            "--initial-cluster and --join exclude each other: bootstrap a cluster or join one");
  EXPECT_EQ(refused({{"--join", "127.0.0.3:8000"}}), "--join: \"127.0.0.3:8000\" is not http://ip:port");
  EXPECT_EQ(refused({{"--propose-window-us", "-1"}}),
            "--propose-window-us: Value -1 not in range 0 to 100000");
}

TEST_F(Config, TheProposeWindowIsOneMillisecondUnlessGiven) {
  auto r = parse({});
  ASSERT_TRUE(std::holds_alternative<NodeConfig>(r));
  EXPECT_EQ(std::get<NodeConfig>(r).propose_window_us, 1000);
  r = parse({{"--propose-window-us", "0"}});
  ASSERT_TRUE(std::holds_alternative<NodeConfig>(r));
  EXPECT_EQ(std::get<NodeConfig>(r).propose_window_us, 0) << "0 turns the window off";
}

}  // namespace
}  // namespace taskraft::node

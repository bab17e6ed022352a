// `taskraft cluster ...`: status, add, remove, transfer-leader (API.md "Cluster").
//
// Guarantees: `status` prints one node's view (GET /v1/cluster) with the leader named on the
// first line and marked "*" in the table; the admin operations go to the leader (a follower
// forwards them) and print the resulting view; with --json each prints the server's JSON.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/command_context.h"
#include "cli/output.h"

namespace taskraft::cli {
namespace {

struct ClusterOptions {
  std::uint64_t id = 0;
  std::string peer_addr;
  std::string http_addr;
};

void print_view(const GlobalOptions& g, const boost::json::value& view) {
  if (g.json) return print_json(view);
  const boost::json::object& v = view.as_object();
  const boost::json::value* leader = v.if_contains("leader_id");
  std::cout << "cluster " << cell(v.if_contains("cluster_id")) << ": leader "
            << (leader && !leader->is_null() ? cell(leader) : "none") << ", term " << cell(v.if_contains("term"))
            << ", commit index " << cell(v.if_contains("commit_index")) << "\n";
  Table table({{"ID", 8}, {"ROLE", 12}, {"VOTER", 5}, {"REACHABLE", 9}, {"MATCH", 14}, {"APPLIED", 14},
               {"PEER", 40}, {"HTTP", 40}});
  for (const boost::json::value& n : v.at("nodes").as_array()) {
    const boost::json::object& m = n.as_object();
    std::string id = cell(m.if_contains("id"));
    bool leads = leader && !leader->is_null() && id == cell(leader);
    table.add({id + (leads ? " *" : ""), cell(m.if_contains("role")), cell(m.if_contains("voter")),
               cell(m.if_contains("reachable")), cell(m.if_contains("match_index")),
               cell(m.if_contains("applied_index")), cell(m.if_contains("peer_addr")), cell(m.if_contains("http_addr"))});
  }
  table.print(std::cout);
}

void status(const GlobalOptions& g, const ClusterOptions&) {
  ApiSession s = open_session(g);
  print_view(g, s.get("/v1/cluster"));
}

void add_member(const GlobalOptions& g, const ClusterOptions& o) {
  ApiSession s = open_session(g);
  boost::json::value body = {{"id", o.id}, {"peer_addr", o.peer_addr}, {"http_addr", o.http_addr}};
  print_view(g, s.call("POST", "/v1/cluster/members", &body));
}

void remove_member(const GlobalOptions& g, const ClusterOptions& o) {
  ApiSession s = open_session(g);
  s.call("DELETE", "/v1/cluster/members/" + std::to_string(o.id));
  if (g.json) return print_json(boost::json::object{{"id", o.id}, {"removed", true}});
  std::cout << "removed node " << o.id << "\n";
}

void transfer(const GlobalOptions& g, const ClusterOptions& o) {
  ApiSession s = open_session(g);
  boost::json::value body = {{"to", o.id}};
  print_view(g, s.call("POST", "/v1/cluster/transfer-leader", &body));
}

}  // namespace

void add_cluster_commands(CLI::App& app, CommandContext& ctx) {
  CommandGroup<ClusterOptions> cluster(add_group(app, "cluster", "see and change the cluster's membership"), ctx);
  ClusterOptions& o = cluster.options();
  auto id_of = [&o](CLI::App* c, const char* help) { c->add_option("ID", o.id, help)->required()->check(CLI::PositiveNumber); };
  cluster.add("status", "members, roles, leader, term and indexes as one node sees them", status);
  CLI::App* add = cluster.add("add", "add a node as a learner (promoted once caught up)", add_member);
  id_of(add, "the new node's id");
  add->add_option("PEER_ADDR", o.peer_addr, "its peer address, host:port")->required();
  add->add_option("HTTP_ADDR", o.http_addr, "its API address, host:port")->required();
  id_of(cluster.add("remove", "remove a node from the cluster", remove_member), "the node's id");
  id_of(cluster.add("transfer-leader", "make another voter the leader", transfer), "the voter's id");
}

}  // namespace taskraft::cli

// Implements join.h with a small synchronous Boost.Beast client.
#include "taskraftd/join.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace taskraft::daemon {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;

struct Reply {
  unsigned status;
  std::string body;
};

Reply call(const std::string& url, http::verb verb, const std::string& target, const std::string& token,
           const std::string& body) {
  std::string hostport = url.substr(std::string("http://").size());
  if (auto slash = hostport.find('/'); slash != std::string::npos) hostport.resize(slash);
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--join: " + url + " has no port");
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  tcp::resolver resolver(io);
  stream.connect(resolver.resolve(hostport.substr(0, colon), hostport.substr(colon + 1)));
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, hostport);
  req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  return {res.result_int(), res.body()};
}

// Whether an answer says "not now" rather than "no": no leader (503), or another membership
// change or a leadership transfer still under way (409 with that reason).
bool transient(const Reply& r) {
  if (r.status == 503) return true;
  return r.status == 409 && (r.body.find("ConfChangePending") != std::string::npos ||
                             r.body.find("TransferInProgress") != std::string::npos);
}

// The member may be electing a leader, catching up or finishing another change: try for a
// while before giving up.
Reply call_with_retry(const std::string& url, http::verb verb, const std::string& target,
                      const std::string& token, const std::string& body) {
  std::string last;
  for (int attempt = 0; attempt < 60; ++attempt) {
    try {
      Reply r = call(url, verb, target, token, body);
      if (!transient(r)) return r;
      last = std::to_string(r.status) + " " + r.body;
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  throw std::runtime_error("--join: " + url + " did not answer " + target + ": " + last);
}

// GET /v1/cluster from the member, as a JSON object holding at least a string "cluster_id".
json::object fetch_cluster(const std::string& member_url, const std::string& token) {
  Reply r = call_with_retry(member_url, http::verb::get, "/v1/cluster?consistency=stale", token, "");
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  json::object* o = ec ? nullptr : v.if_object();
  const json::value* id = o ? o->if_contains("cluster_id") : nullptr;
  if (r.status != 200 || !id || !id->is_string())
    throw std::runtime_error("--join: " + member_url + " answered " + std::to_string(r.status) + ": " + r.body);
  return std::move(*o);
}

}  // namespace

node::JoinInfo fetch_join_info(const std::string& member_url, const std::string& token) {
  const json::object cluster = fetch_cluster(member_url, token);
  node::JoinInfo info{std::string(cluster.at("cluster_id").get_string()), {}};
  const json::value* nodes = cluster.if_contains("nodes");
  if (nodes && nodes->is_array()) {
    for (const json::value& n : nodes->get_array()) {
      const json::object* o = n.if_object();
      const json::value* id = o ? o->if_contains("id") : nullptr;
      const json::value* peer = o ? o->if_contains("peer_addr") : nullptr;
      const json::value* http = o ? o->if_contains("http_addr") : nullptr;
      boost::system::error_code ec;
      const raft::NodeId nid = id ? id->to_number<raft::NodeId>(ec) : 0;
      if (!id || ec || !peer || !peer->is_string() || !http || !http->is_string()) continue;
      info.members[nid] = node::MemberAddrs{std::string(peer->get_string()), std::string(http->get_string())};
    }
  }
  if (info.members.empty())
    throw std::runtime_error("--join: " + member_url + " lists no members in GET /v1/cluster");
  return info;
}

void request_membership(const std::string& member_url, const std::string& token, raft::NodeId id,
                        const std::string& peer_addr, const std::string& http_addr) {
  // An admin may have added this node already (same id and peer address): nothing to ask.
  const node::JoinInfo cluster = fetch_join_info(member_url, token);
  if (auto it = cluster.members.find(id); it != cluster.members.end() && it->second.peer_addr == peer_addr) return;
  json::object body{{"id", id}, {"peer_addr", peer_addr}, {"http_addr", http_addr}};
  Reply r = call_with_retry(member_url, http::verb::post, "/v1/cluster/members", token, json::serialize(body));
  if (r.status / 100 != 2)
    throw std::runtime_error("--join: " + member_url + " refused to add node " + std::to_string(id) + ": " +
                             std::to_string(r.status) + " " + r.body);
}

}  // namespace taskraft::daemon

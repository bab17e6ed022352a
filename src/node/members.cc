// Implements members.h; the JSON form uses Boost.JSON.
#include "node/members.h"

#include <boost/json.hpp>
#include <stdexcept>

#include "node/durable_file.h"

namespace taskraft::node {
namespace json = boost::json;

namespace {

json::object addrs_to_json(const MemberAddrs& a) {
  return json::object{{"peer_addr", a.peer_addr}, {"http_addr", a.http_addr}};
}

std::optional<MemberAddrs> addrs_from_json(const json::value& v) {
  const auto* o = v.if_object();
  if (!o) return std::nullopt;
  const auto* peer = o->if_contains("peer_addr");
  const auto* http = o->if_contains("http_addr");
  if (!peer || !peer->is_string() || !http || !http->is_string()) return std::nullopt;
  return MemberAddrs{std::string(peer->get_string()), std::string(http->get_string())};
}

std::optional<json::value> parse(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) return std::nullopt;
  return v;
}

}  // namespace

const MemberAddrs* Members::find(raft::NodeId id) const {
  auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
}

std::string Members::to_json() const {
  json::object o;
  for (const auto& [id, a] : members_) o[std::to_string(id)] = addrs_to_json(a);
  return json::serialize(o);
}

std::optional<Members> Members::from_json(const std::string& text) {
  auto v = parse(text);
  if (!v || !v->is_object()) return std::nullopt;
  Map m;
  for (const auto& [key, val] : v->get_object()) {
    raft::NodeId id = 0;
    try {
      id = std::stoull(std::string(key));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    auto a = addrs_from_json(val);
    if (id == 0 || !a) return std::nullopt;
    m[id] = *a;
  }
  return Members(std::move(m));
}

void Members::save(const std::filesystem::path& file) const { write_file_atomically(file, to_json()); }

std::optional<Members> Members::load(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) return std::nullopt;
  auto m = from_json(*text);
  if (!m) throw std::runtime_error(file.string() + " is not a valid member list");
  return m;
}

std::string encode_member_context(const MemberAddrs& a) { return json::serialize(addrs_to_json(a)); }

std::optional<MemberAddrs> decode_member_context(const std::string& context) {
  auto v = parse(context);
  if (!v) return std::nullopt;
  return addrs_from_json(*v);
}

}  // namespace taskraft::node

// Implements identity.h: data_dir/identity.json, written atomically.
#include "node/identity.h"

#include <boost/json.hpp>
#include <cstdio>
#include <stdexcept>

#include "node/durable_file.h"

namespace taskraft::node {
namespace json = boost::json;

namespace {
std::filesystem::path file_in(const std::filesystem::path& dir) { return dir / "identity.json"; }
}  // namespace

std::optional<Identity> load_identity(const std::filesystem::path& data_dir) {
  auto text = read_file(file_in(data_dir));
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* cid = o ? o->if_contains("cluster_id") : nullptr;
  const json::value* nid = o ? o->if_contains("node_id") : nullptr;
  // Boost.JSON parses a small non-negative integer as int64: accept any exact non-negative integer.
  boost::system::error_code num_ec;
  const std::uint64_t node_id = nid ? nid->to_number<std::uint64_t>(num_ec) : 0;
  if (!cid || !cid->is_string() || !nid || num_ec)
    throw std::runtime_error(file_in(data_dir).string() + " is damaged");
  return Identity{std::string(cid->get_string()), node_id};
}

void save_identity(const std::filesystem::path& data_dir, const Identity& id) {
  json::object o{{"cluster_id", id.cluster_id}, {"node_id", id.node_id}};
  write_file_atomically(file_in(data_dir), json::serialize(o));
}

std::string derive_cluster_id(const std::string& canonical_members) {
  // FNV-1a 64: stable across platforms and releases, which std::hash is not.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : canonical_members) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace taskraft::node

// The members table (see membership.h).
#include "store/membership.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "store/connection.h"

namespace taskraft::store {
namespace {

bool sorted_unique(const std::vector<raft::NodeId>& ids) {
  return std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) == ids.end();
}

}  // namespace

void check_membership(const Membership& m) {
  assert(sorted_unique(m.conf.voters) && sorted_unique(m.conf.learners));
  for (raft::NodeId id : m.conf.learners) {
    assert(!std::binary_search(m.conf.voters.begin(), m.conf.voters.end(), id));
  }
}

Membership load_membership(Connection& c) {
  Membership m;
  {
    auto r = c.query("SELECT node_id, voter FROM members ORDER BY node_id");
    while (auto row = r.next()) (row->u64(1) ? m.conf.voters : m.conf.learners).push_back(row->u64(0));
  }
  auto r = c.query("SELECT member_addresses FROM meta WHERE id = 1");
  if (auto row = r.next()) m.addresses = row->str(0);
  return m;
}

void save_membership(Connection& c, const Membership& m) {
  check_membership(m);
  c.exec("DELETE FROM members");
  std::string values;
  auto add = [&](raft::NodeId id, bool voter) {
    values += (values.empty() ? "(" : ", (") + std::to_string(id) + ", " + (voter ? "1" : "0") + ")";
  };
  for (raft::NodeId id : m.conf.voters) add(id, true);
  for (raft::NodeId id : m.conf.learners) add(id, false);
  if (!values.empty()) c.exec("INSERT INTO members (node_id, voter) VALUES " + values);
  c.exec("UPDATE meta SET member_addresses = " + Connection::quote_bytes(m.addresses) + " WHERE id = 1");
}

}  // namespace taskraft::store

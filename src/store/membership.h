// The cluster membership as the state machine records it, and the point the state machine is at.
//
// The node applies Raft conf-change entries through the store (Store::decide with the membership
// of each conf-change entry; Store::record_initial_membership for a new cluster), which stores
// the resulting ConfState and the members' addresses (one string, opaque to the store: the node
// layer's encoding of every member's peer and HTTP addresses) in the same transaction as applied_index;
// so a snapshot, which is a consistent read of the tables, carries the membership of its index.
#pragma once

#include <string>

#include "raft/types.h"

namespace taskraft::store {

class Connection;

struct Membership {
  raft::ConfState conf;
  std::string addresses;  // every member's addresses, opaque to the store

  friend bool operator==(const Membership&, const Membership&) = default;
};

struct AppliedState {
  raft::Index index = 0;
  raft::Term term = 0;
  Membership membership;

  raft::SnapshotMeta snapshot_meta() const { return {index, term, membership.conf}; }
  friend bool operator==(const AppliedState&, const AppliedState&) = default;
};

// Asserts the ConfState invariants of raft/types.h (sorted, unique, disjoint): only a bug can
// break them.
void check_membership(const Membership& m);

Membership load_membership(Connection& c);
void save_membership(Connection& c, const Membership& m);  // replaces every member row

}  // namespace taskraft::store

// Membership changes: the rules of the single-server change protocol and the byte encoding of a
// ConfChange carried in a kConfChange log entry.
//
// THE PROTOCOL (single-server changes, Raft dissertation ch. 4, applied the way etcd-io/raft does):
//   - A change adds one learner, promotes one learner to voter, or removes one node. Any two
//     configurations one change apart have overlapping majorities, which is what makes a single
//     change safe without joint consensus.
//   - A change takes effect on a node when that node applies the committed entry
//     (Raft::apply_conf_change), not when it appends it.
//   - The leader accepts a change only when (a) it has committed an entry of its own term (this
//     closes the bug in the original single-server algorithm: a leader of a newer term must not
//     act on a configuration a previous leader may have been changing), and (b) no earlier change
//     is still unapplied on it: at most one change is in flight. A new leader treats its whole
//     log as possibly holding a change until it has applied it.
//   - Proposals are validated against the applied configuration: adding an existing member,
//     promoting a node that is not a learner, removing a non-member, removing the last voter and
//     node id 0 are kInvalidConfChange.
//   - Learners never campaign and never count towards a vote or a commit. (A learner still
//     answers vote requests: a candidate that has already applied the learner's promotion counts
//     it, which keeps a freshly promoted cluster live; a candidate for which it is a learner
//     does not ask it and does not count it.)
//   - A node whose log holds a committed conf change it has not applied does not campaign
//     (it could otherwise win under a configuration that is already superseded).
//   - A leader that applies its own removal steps down; a removed node no longer campaigns.
//   - The leader of exactly two voters may not remove itself (kTransferFirst): the other voter
//     would still count it until it learns that the removal committed, and could never win an
//     election if the removed leader stopped before telling it. Transferring leadership first
//     makes the survivor the one that commits the removal, so it knows at once.
//
// ENCODING (little-endian, version 1):
//   u8 version=1 | u8 type | u64 node | u32 context length | context bytes
// decode_conf_change rejects any other version, unknown types, short or trailing bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "raft/raft.h"
#include "raft/types.h"

namespace taskraft::raft {

std::string encode_conf_change(const ConfChange& cc);
std::optional<ConfChange> decode_conf_change(std::string_view bytes);

bool is_voter(const ConfState& conf, NodeId id);
bool is_learner(const ConfState& conf, NodeId id);
bool is_member(const ConfState& conf, NodeId id);

// kOk or kInvalidConfChange: may `cc` be applied to `conf`?
Error validate_conf_change(const ConfState& conf, const ConfChange& cc);
// The configuration after `cc`; `cc` must be valid for `conf`. Keeps both lists sorted.
ConfState apply_to(const ConfState& conf, const ConfChange& cc);

}  // namespace taskraft::raft

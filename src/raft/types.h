// The vocabulary of the Raft core: log entries, persistent state, configurations and messages.
//
// These are plain values with no behaviour and no I/O. The core (raft.h) consumes and produces
// them; the WAL stores them and the transport carries them, both by converting to and from the
// protobuf schema in proto/raft.proto (see src/wire). Keeping the core on plain structs rather than
// generated protobuf classes keeps it free of any serialization concern and fast to simulate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace taskraft::raft {

using NodeId = std::uint64_t;  // 0 means "none"
using Term = std::uint64_t;
using Index = std::uint64_t;  // log positions start at 1; 0 means "before the log"

inline constexpr NodeId kNoNode = 0;

enum class EntryType : std::uint8_t {
  kNormal = 0,      // application command; an empty payload is the leader's no-op
  kConfChange = 1,  // payload is a ConfChange in the core's own encoding (conf_change.h)
};

struct Entry {
  Term term = 0;
  Index index = 0;
  EntryType type = EntryType::kNormal;
  std::string data;

  friend bool operator==(const Entry&, const Entry&) = default;
};

// What must be durable before any message that depends on it leaves the node.
struct HardState {
  Term term = 0;
  NodeId vote = kNoNode;
  Index commit = 0;

  friend bool operator==(const HardState&, const HardState&) = default;
};

// The membership: voters decide elections and commitment, learners only receive the log.
struct ConfState {
  std::vector<NodeId> voters;    // sorted, unique
  std::vector<NodeId> learners;  // sorted, unique, disjoint from voters

  friend bool operator==(const ConfState&, const ConfState&) = default;
};

// Identifies a point of the state machine: everything up to `index` (of `term`) applied,
// under membership `conf`. The data itself belongs to the caller (MySQL rows, simulator state).
struct SnapshotMeta {
  Index index = 0;
  Term term = 0;
  ConfState conf;

  friend bool operator==(const SnapshotMeta&, const SnapshotMeta&) = default;
};

// A single-server membership change (see conf_change.h for the protocol and its rules).
enum class ConfChangeType : std::uint8_t {
  kAddLearner = 0,     // a new node that receives the log but does not vote
  kPromoteLearner = 1, // a caught-up learner becomes a voter
  kRemoveNode = 2,     // a voter or learner leaves
};

struct ConfChange {
  ConfChangeType type = ConfChangeType::kAddLearner;
  NodeId node = kNoNode;
  std::string context;  // opaque to the core: the node layer puts peer and HTTP addresses here

  friend bool operator==(const ConfChange&, const ConfChange&) = default;
};

enum class MessageType : std::uint8_t {
  kVote = 0,
  kVoteResp = 1,
  kPreVote = 2,
  kPreVoteResp = 3,
  kApp = 4,            // AppendEntries (also carries the commit index)
  kAppResp = 5,
  kHeartbeat = 6,
  kHeartbeatResp = 7,
  kSnap = 8,           // InstallSnapshot; the caller attaches the data (see Ready)
  kReadIndex = 9,      // a follower asks the leader for a read index on behalf of its clients
  kReadIndexResp = 10,
  kTimeoutNow = 11,    // leadership transfer: start an election now, skipping pre-vote
  // Not the core's: the node layer's proposal relay (node/proposal_relay.h) carries them on the
  // peer links, and the core drops any it is given.
  kProp = 12,          // a follower passes its clients' commands to the leader to propose
  kPropResp = 13,      // the leader says where it put one of them, or that it could not
};

const char* to_string(MessageType t);

struct Message {
  MessageType type = MessageType::kApp;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  Term term = 0;

  // kApp: the entry preceding `entries`; kVote/kPreVote: the candidate's last entry.
  Term log_term = 0;
  Index index = 0;
  std::vector<Entry> entries;
  Index commit = 0;

  // kAppResp: `index` is the last index the follower now matches, or with `reject`
  // the rejected index, and `reject_hint`/`log_term` the follower's hint for fast back-off:
  // the largest index <= the probe at which its log term is <= the probe's term.
  // k*VoteResp: `reject` means the vote was refused.
  bool reject = false;
  Index reject_hint = 0;

  // kReadIndex / kReadIndexResp / kHeartbeat(Resp): the read request's context.
  std::string context;

  // kProp: `entries` are the commands (data only), each entry's `index` the sender's request
  // number for it. kPropResp: `reject_hint` is that request number; without `reject`, `index`
  // and `log_term` are where the leader proposed it.

  // kSnap: the point the receiver is to restore to; the data travels outside the core.
  SnapshotMeta snapshot;

  // kVote / kPreVote sent because of a leadership transfer: bypass the leader lease check.
  bool transfer = false;

  // kApp without entries, sent only to pass on the commit index to a follower in replicate state:
  // it was sent everything up to `index`, and its answers to those entries tell the leader all
  // that an answer to this one would. So a follower that accepts it sends none: up to two
  // messages fewer per commit at low load. A follower that refuses it answers, so that the
  // leader backs off; and the append a heartbeat answer asks for when the follower's
  // acknowledgement went missing (Progress::resync) is never commit-only: it is the way back.
  bool commit_only = false;

  // Not the core's (it neither sets nor reads it): the node layer marks a leader's kApp and
  // kHeartbeat to say the leader takes kProp, so a follower relays commands only to a leader that
  // understands them (a node of an older version refuses the whole frame).
  bool takes_relay = false;
};

}  // namespace taskraft::raft

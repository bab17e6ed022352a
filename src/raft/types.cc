// Human-readable names of the core's enumerations, for logs, test failures and status output.
// Every enumerator has a name; an out-of-range value prints as "?" instead of failing.
#include "raft/raft.h"
#include "raft/types.h"

namespace taskraft::raft {

const char* to_string(MessageType t) {
  switch (t) {
    case MessageType::kVote: return "Vote";
    case MessageType::kVoteResp: return "VoteResp";
    case MessageType::kPreVote: return "PreVote";
    case MessageType::kPreVoteResp: return "PreVoteResp";
    case MessageType::kApp: return "App";
    case MessageType::kAppResp: return "AppResp";
    case MessageType::kHeartbeat: return "Heartbeat";
    case MessageType::kHeartbeatResp: return "HeartbeatResp";
    case MessageType::kSnap: return "Snap";
    case MessageType::kReadIndex: return "ReadIndex";
    case MessageType::kReadIndexResp: return "ReadIndexResp";
    case MessageType::kTimeoutNow: return "TimeoutNow";
    case MessageType::kProp: return "Prop";
    case MessageType::kPropResp: return "PropResp";
  }
  return "?";
}

const char* to_string(Role r) {
  switch (r) {
    case Role::kFollower: return "Follower";
    case Role::kPreCandidate: return "PreCandidate";
    case Role::kCandidate: return "Candidate";
    case Role::kLeader: return "Leader";
  }
  return "?";
}

const char* to_string(Error e) {
  switch (e) {
    case Error::kOk: return "Ok";
    case Error::kNotLeader: return "NotLeader";
    case Error::kTransferInProgress: return "TransferInProgress";
    case Error::kConfChangePending: return "ConfChangePending";
    case Error::kNotCommittedInTerm: return "NotCommittedInTerm";
    case Error::kInvalidConfChange: return "InvalidConfChange";
    case Error::kUnknownNode: return "UnknownNode";
    case Error::kTransferFirst: return "TransferFirst";
  }
  return "?";
}

const char* to_string(ProgressState s) {
  switch (s) {
    case ProgressState::kProbe: return "Probe";
    case ProgressState::kReplicate: return "Replicate";
    case ProgressState::kSnapshot: return "Snapshot";
  }
  return "?";
}

}  // namespace taskraft::raft

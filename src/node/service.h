// What a running node offers the REST API: proposing commands, read barriers for each
// consistency level, the cluster as this node sees it, and the admin operations.
//
// The API layer (src/api) talks to the node only through this interface; the node (node.h)
// implements it. Every call returns at once; results arrive through the callback, on a node
// thread, exactly once, by the deadline at the latest (with Error::kTimeout). Callbacks must not
// block: post any further work to the caller's own executor.
//
// Guarantees:
//  - submit(): a kOk result means the command is committed and decided by this node's state
//    machine, and `outcome` is its answer (identical on every node). A follower relays the
//    command to the leader it knows (node/proposal_relay.h). Any other result means the command
//    may or may not take effect later (kTimeout, kStopping), or certainly did not (kNotLeader: it
//    was not proposed, or another entry took its place; kNoLeader: no leader took it).
//  - read_linearizable(): kOk means this node's store now reflects every write acknowledged
//    before the call began (ReadIndex confirmed by a quorum, then applied locally). Never kOk on a
//    node cut off from the quorum.
//  - read_at_least(i): kOk means this node's store has applied index >= i (i = 0: stale reads).
//    When i is beyond what this node knows to be committed, it asks the leader (ReadIndex) and
//    answers kBeyondLog at once if i was not committed when the call began (no write could have
//    been acknowledged at i, so waiting would only run out the deadline).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "raft/types.h"
#include "store/outcome.h"

namespace taskraft::commandpb {
class Command;
}
namespace taskraft::store {
class TaskCache;
}

namespace taskraft::node {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

enum class Error : std::uint8_t {
  kOk = 0,
  kNotLeader,    // this node does not lead; forward to leader() or answer 503 with the hint
  kNoLeader,     // no leader known (election under way, or cut off from the quorum)
  kTimeout,      // the deadline passed; for writes the outcome is unknown
  kStopping,     // the node is shutting down (SIGTERM)
  kStoreDown,    // this node's MySQL is unreachable or behind: it cannot serve reads now
  kRejected,     // an admin operation the core refused (the message says why)
  kUnknownMember,  // an admin operation names a node that is not a member
  kBeyondLog,    // a read asked for a min_index the cluster had not committed when it came
};
const char* to_string(Error e);

struct WriteResult {
  Error error = Error::kOk;
  store::Outcome outcome;  // when kOk
  raft::Index index = 0;   // the command's log index, when kOk
  raft::Term term = 0;
};

struct ReadResult {
  Error error = Error::kOk;
  raft::Index applied_index = 0;  // the store's applied index the read will see (at least)
};

struct AdminResult {
  Error error = Error::kOk;
  std::string message;  // for kRejected: a sentence for the operator
};

struct LeaderInfo {
  raft::NodeId id = raft::kNoNode;  // kNoNode when unknown
  std::string http_addr;            // "ip:port", empty when unknown
};

// One member as GET /v1/cluster shows it (API.md).
struct MemberView {
  raft::NodeId id = raft::kNoNode;
  std::string peer_addr;
  std::string http_addr;
  std::string role;  // "leader", "follower", "candidate", "learner" (as this node knows it)
  bool voter = true;
  bool reachable = false;          // this node has a live peer link to it (or it is this node)
  raft::Index match_index = 0;     // leader's view; 0 when this node does not lead
  raft::Index applied_index = 0;   // known for this node itself; others' as last reported
};

struct ClusterView {
  std::string cluster_id;
  raft::NodeId self = raft::kNoNode;
  raft::NodeId leader_id = raft::kNoNode;
  raft::Term term = 0;
  raft::Index commit_index = 0;
  raft::Index applied_index = 0;  // this node's store
  bool store_up = true;           // this node's MySQL answers
  std::vector<MemberView> nodes;
};

class Service {
 public:
  virtual ~Service() = default;

  virtual raft::NodeId id() const = 0;
  virtual LeaderInfo leader() const = 0;

  // On any node. `cmd` has every non-deterministic field filled (at_ms, actor, idempotency).
  virtual void submit(commandpb::Command cmd, Deadline deadline,
                      std::function<void(WriteResult)> done) = 0;
  virtual void read_linearizable(Deadline deadline, std::function<void(ReadResult)> done) = 0;
  virtual void read_at_least(raft::Index index, Deadline deadline,
                             std::function<void(ReadResult)> done) = 0;

  virtual ClusterView cluster() const = 0;
  // /readyz: a leader is known and this node's store has applied up to its commit index.
  virtual bool ready() const = 0;

  // Admin operations (leader only, else kNotLeader).
  virtual void add_member(raft::NodeId id, std::string peer_addr, std::string http_addr,
                          Deadline deadline, std::function<void(AdminResult)> done) = 0;
  virtual void remove_member(raft::NodeId id, Deadline deadline,
                             std::function<void(AdminResult)> done) = 0;
  virtual void transfer_leader(raft::NodeId to, Deadline deadline,
                               std::function<void(AdminResult)> done) = 0;

  // The bodies of recently written or read tasks (store/task_cache.h): a get that passed its
  // read barrier may answer from here instead of MySQL.
  virtual store::TaskCache& task_cache() = 0;
};

}  // namespace taskraft::node

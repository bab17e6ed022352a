// A taskraft node: the Raft loop, WAL, peer transport, MySQL store and applier put together,
// offered to the REST API as a node::Service.
//
// Start-up checks (each failure is a StartError with one line for the operator): the data dir's
// identity matches --id; a fresh data dir has --initial-cluster (or was prepared by a join);
// MySQL is reachable; the WAL recovers. Stop order on SIGTERM: the caller stops the API first;
// then stop() ends the raft loop (pending requests fail with kStopping), lets the applier finish
// what is committed and queued, and closes the peer links.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "node/config.h"
#include "node/service.h"

namespace taskraft::transport {
class Transport;
}

namespace taskraft::node {

class ApplyWaiters;
class Applier;
class RaftLoop;
class SnapshotSender;

class StartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a node joining an existing cluster learned from it before its first start: the cluster's
// id and where its members listen, so that the new node can answer the leader before a snapshot
// tells it the rest.
struct JoinInfo {
  std::string cluster_id;
  std::map<raft::NodeId, MemberAddrs> members;
};

class Node final : public Service {
 public:
  // Opens everything and checks the configuration; throws StartError. `join` is given on the
  // first start of a node that was added to a running cluster (--join).
  Node(const NodeConfig& config, const std::optional<JoinInfo>& join = std::nullopt);
  ~Node() override;

  // Before start(): `observe` gets the duration of every WAL sync in seconds (raft thread).
  void observe_wal_syncs(std::function<void(double)> observe);
  // Before start(): `observe` gets, for every write proposed on this node that took effect, the
  // seconds from its proposal to its outcome (ApplyWaiters::observe_decided; apply thread).
  void observe_writes_decided(std::function<void(double)> observe);
  void start();
  void stop();
  const std::string& cluster_id() const { return cluster_id_; }
  // Whether this node knows the cluster's membership (from --initial-cluster or from the
  // snapshot a joining node receives once the cluster has added it).
  bool knows_membership() const;
  // Whether this data dir has been initialised before (a restart rather than a first start).
  static bool initialised(const std::filesystem::path& data_dir);

  raft::NodeId id() const override;
  LeaderInfo leader() const override;
  void submit(commandpb::Command cmd, Deadline deadline, std::function<void(WriteResult)> done) override;
  void read_linearizable(Deadline deadline, std::function<void(ReadResult)> done) override;
  void read_at_least(raft::Index index, Deadline deadline, std::function<void(ReadResult)> done) override;
  ClusterView cluster() const override;
  bool ready() const override;
  void add_member(raft::NodeId id, std::string peer_addr, std::string http_addr, Deadline deadline,
                  std::function<void(AdminResult)> done) override;
  void remove_member(raft::NodeId id, Deadline deadline, std::function<void(AdminResult)> done) override;
  void transfer_leader(raft::NodeId to, Deadline deadline, std::function<void(AdminResult)> done) override;
  store::TaskCache& task_cache() override { return *task_cache_; }

  // For /metrics: counters the node keeps (name -> value), Prometheus names without prefix.
  std::vector<std::pair<std::string, double>> gauges() const;

 private:
  NodeConfig config_;
  std::string cluster_id_;
  std::unique_ptr<ApplyWaiters> waiters_;
  std::unique_ptr<transport::Transport> transport_;
  std::unique_ptr<Applier> applier_;
  store::TaskCache* task_cache_ = nullptr;  // the store's, which applier_ owns
  std::unique_ptr<SnapshotSender> snapshots_;
  std::unique_ptr<RaftLoop> loop_;
  std::atomic<bool> stopping_{false};
};

}  // namespace taskraft::node

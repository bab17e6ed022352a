// Implements test_node.h.
#include "test_node.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace taskraft::transport::testing {

TestNode::TestNode(raft::NodeId id, std::string ip, std::uint16_t port, std::string secret,
                   const std::function<void(TransportOptions&)>& tweak)
    : id_(id), ip_(std::move(ip)), port_(port) {
  std::string dir_template = (std::filesystem::temp_directory_path() / "transport-test-XXXXXX").string();
  dir_ = ::mkdtemp(dir_template.data());
  TransportOptions o;
  o.self = id;
  o.peer_addr = ip_ + ":" + std::to_string(port);
  o.cluster_secret = std::move(secret);
  o.snapshot_dir = dir_;
  o.backoff_initial = std::chrono::milliseconds(20);
  o.backoff_max = std::chrono::milliseconds(200);
  o.on_messages = [this](raft::NodeId peer, std::vector<raft::Message> batch) {
    std::lock_guard lock(mu_);
    received_.push_back({peer, std::move(batch)});
    cv_.notify_all();
  };
  o.on_snapshot = [this](raft::Message snap, std::string path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    std::lock_guard lock(mu_);
    snapshots_.push_back({std::move(snap), std::move(path), contents.str()});
    cv_.notify_all();
  };
  if (tweak) tweak(o);
  transport_ = std::make_unique<Transport>(std::move(o));
  transport_->start();
  port_ = transport_->listen_port();
  runner_ = std::thread([this] {
    while (!stopping_) transport_->run(std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
  });
}

void TestNode::stop() {
  if (stopping_.exchange(true)) return;
  transport_->wake();
  runner_.join();
  transport_->stop();
}

TestNode::~TestNode() {
  stop();
  transport_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool TestNode::wait_until(
    const std::function<bool(const std::vector<Received>&, const std::vector<ReceivedSnapshot>&)>& done) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, kPatience, [&] { return done(received_, snapshots_); });
}

std::vector<Received> TestNode::received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::vector<raft::Message> TestNode::received_messages() {
  std::vector<raft::Message> out;
  for (auto& r : received()) out.insert(out.end(), r.batch.begin(), r.batch.end());
  return out;
}

std::vector<ReceivedSnapshot> TestNode::snapshots() {
  std::lock_guard lock(mu_);
  return snapshots_;
}

raft::Message message(raft::NodeId from, raft::NodeId to, raft::Index index) {
  raft::Message m;
  m.type = raft::MessageType::kApp;
  m.from = from;
  m.to = to;
  m.term = 3;
  m.index = index;
  m.entries.push_back(raft::Entry{3, index + 1, raft::EntryType::kNormal, "payload-" + std::to_string(index)});
  return m;
}

std::optional<RawListener::Accepted> accept_dial(TestNode& node, RawListener& listener) {
  EXPECT_TRUE(node.transport().set_peer(2, listener.address()));
  node.transport().send({message(node.id(), 2, 0)});
  return listener.accept(kPatience);
}

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

}  // namespace taskraft::transport::testing

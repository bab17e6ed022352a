// Implements transport.h: the peer table, the listener, and the io context that runs every
// connection (peer_link.h, inbound_connection.h, snapshot_sender.h) inside run().
#include "transport/transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <cassert>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "transport/batching.h"
#include "transport/inbound_connection.h"
#include "transport/incoming_file.h"
#include "transport/link_context.h"
#include "transport/peer_link.h"
#include "transport/snapshot_sender.h"

namespace taskraft::transport {
namespace {

void validate(const TransportOptions& o) {
  if (o.self == raft::kNoNode) throw std::invalid_argument("transport: self id must not be 0");
  if (o.cluster_secret.empty()) throw std::invalid_argument("transport: the cluster secret is empty");
  if (!o.on_messages || !o.on_snapshot) throw std::invalid_argument("transport: both handlers are required");
  if (o.snapshot_dir.empty()) throw std::invalid_argument("transport: no snapshot directory");
  if (o.snapshot_chunk_bytes == 0 || o.snapshot_chunk_bytes + 1 > o.max_frame_bytes || o.snapshot_window == 0) {
    throw std::invalid_argument("transport: snapshot chunks must be non-empty and fit in a frame");
  }
  if (o.backoff_initial.count() <= 0 || o.backoff_initial > o.backoff_max) {
    throw std::invalid_argument("transport: backoff_initial must be positive and at most backoff_max");
  }
}

PeerAddress parse_own_address(const TransportOptions& o) {
  validate(o);
  auto a = parse_peer_address(o.peer_addr);
  if (!a) throw std::invalid_argument("transport: malformed peer address '" + o.peer_addr + "', expected ip:port");
  return *a;
}

}  // namespace

class Transport::Impl {
 public:
  explicit Impl(TransportOptions options) : listen_(parse_own_address(options)), acceptor_(io_) {
    if (sodium_init() < 0) throw std::runtime_error("transport: libsodium failed to initialise");
    ctx_.options = std::move(options);
    ctx_.self_ip = asio::ip::make_address(listen_.ip);
  }

  ~Impl() { stop(); }

  void start() {
    const auto& o = ctx_.options;
    {
      std::lock_guard lock(mu_);
      if (started_ || stopped_) throw std::logic_error("transport: start() after start() or stop()");
      started_ = true;
    }
    std::filesystem::create_directories(o.snapshot_dir);
    IncomingFile::remove_leftovers(o.snapshot_dir);

    const tcp::endpoint endpoint = to_endpoint(listen_);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_loop(), asio::detached);
    spdlog::info("transport {}: listening on {}:{}", o.self, listen_.ip, port_.load());
  }

  void stop() {
    std::map<raft::NodeId, std::shared_ptr<PeerLink>> links;
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      stopped_ = true;
      links.swap(peers_);
      asio::post(io_, [this] { shutdown_on_io(); });
    }
    for (auto& [id, link] : links) link->stop();
    work_.reset();
    assert(!io_.get_executor().running_in_this_thread() && "Transport::stop() called from a handler");
    io_.run();  // until every connection and stream has wound down
  }

  void run(Clock::time_point until) {
    // A handful of frames per call: enough for what arrives during one Raft turn, few enough
    // that a snapshot stream cannot hold the caller's turn (and its election timer) back.
    constexpr int kMaxHandlers = 64;
    if (io_.poll_one() == 0 && io_.run_one_until(until) == 0) return;
    for (int ran = 1; ran < kMaxHandlers && io_.poll_one() > 0; ++ran) {
    }
  }

  void wake() {
    asio::post(io_, [] {});
  }

  std::uint16_t listen_port() const { return port_; }

  bool set_peer(raft::NodeId id, const std::string& addr) {
    const auto parsed = parse_peer_address(addr);
    if (!parsed || id == raft::kNoNode || id == ctx_.options.self) return false;
    const tcp::endpoint remote = to_endpoint(*parsed);
    if (remote.address().is_v4() != ctx_.self_ip.is_v4()) return false;
    std::lock_guard lock(mu_);
    if (stopped_) return false;
    auto& slot = peers_[id];
    if (slot && slot->address() == addr) return true;
    if (slot) slot->stop();
    slot = std::make_shared<PeerLink>(io_, ctx_, id, addr, remote);
    slot->start();
    return true;
  }

  void remove_peer(raft::NodeId id) {
    std::shared_ptr<PeerLink> link;
    {
      std::lock_guard lock(mu_);
      auto it = peers_.find(id);
      if (it == peers_.end()) return;
      link = std::move(it->second);
      peers_.erase(it);
      asio::post(io_, [this, id] {
        for (auto& [key, sender] : senders_) {
          if (sender->peer() == id) sender->stop();
        }
      });
    }
    link->stop();
  }

  void send(std::vector<raft::Message> msgs) {
    std::map<raft::NodeId, std::vector<raft::Message>> by_peer;
    for (auto& m : msgs) by_peer[m.to].push_back(std::move(m));
    for (auto& [id, group] : by_peer) {
      Batches batches = batch_into_frames(group, ctx_.options.max_frame_bytes);
      if (batches.too_large > 0) {
        spdlog::warn("transport {}: dropped {} message(s) to node {} too large for one frame", ctx_.options.self,
                     batches.too_large, id);
      }
      std::shared_ptr<PeerLink> link;
      {
        std::lock_guard lock(mu_);
        auto it = peers_.find(id);
        if (it == peers_.end()) {
          dropped_unknown_ += group.size();
          continue;
        }
        link = it->second;
      }
      // Outside the transport's lock: enqueue() may write to the socket.
      link->count_dropped(batches.too_large);
      for (auto& frame : batches.frames) link->enqueue(std::move(frame));
    }
  }

  void send_snapshot(const raft::Message& snap, std::string file_path, std::function<void(bool)> done) {
    std::unique_lock lock(mu_);
    if (stopped_) {
      lock.unlock();
      done(false);
      return;
    }
    std::optional<tcp::endpoint> remote;
    if (auto it = peers_.find(snap.to); it != peers_.end()) remote = it->second->remote();
    auto sender = std::make_shared<SnapshotSender>(io_, ctx_, snap, remote, std::move(file_path), std::move(done));
    asio::post(io_, [this, sender] {
      senders_[sender.get()] = sender;
      sender->start([this](SnapshotSender* s) { senders_.erase(s); });
    });
  }

  TransportStats stats() const {
    TransportStats out;
    {
      std::lock_guard lock(mu_);
      for (const auto& [id, link] : peers_) out.peers.push_back(link->stats());
    }
    out.dropped_unknown_peer = dropped_unknown_;
    out.failed_handshakes = ctx_.failed_handshakes;
    out.protocol_errors = ctx_.protocol_errors;
    out.dropped_misaddressed = ctx_.dropped_misaddressed;
    return out;
  }

 private:
  Awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (!acceptor_.is_open()) co_return;
      if (ec) {
        // Out of descriptors or similar: pause instead of spinning.
        spdlog::warn("transport {}: accept failed: {}", ctx_.options.self, ec.message());
        asio::steady_timer pause(io_, std::chrono::milliseconds(100));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      auto conn = std::make_shared<InboundConnection>(std::move(socket), ctx_,
                                                      [this](InboundConnection* c) { inbound_.erase(c); });
      inbound_[conn.get()] = conn;
      conn->start();
    }
  }

  void shutdown_on_io() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& [key, conn] : inbound_) {
      if (auto c = conn.lock()) c->close();
    }
    for (auto& [key, sender] : senders_) sender->stop();
  }

  // Declared first so that it outlives the io_context and everything pending in it.
  LinkContext ctx_;
  const PeerAddress listen_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
  tcp::acceptor acceptor_;
  std::atomic<std::uint16_t> port_{0};
  std::atomic<std::uint64_t> dropped_unknown_{0};

  mutable std::mutex mu_;  // guards the three below
  bool started_ = false;
  bool stopped_ = false;
  std::map<raft::NodeId, std::shared_ptr<PeerLink>> peers_;

  // Inside run() (or stop()) only.
  std::unordered_map<InboundConnection*, std::weak_ptr<InboundConnection>> inbound_;
  std::unordered_map<SnapshotSender*, std::shared_ptr<SnapshotSender>> senders_;
};

Transport::Transport(TransportOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Transport::~Transport() = default;
void Transport::start() { impl_->start(); }
void Transport::stop() { impl_->stop(); }
void Transport::run(std::chrono::steady_clock::time_point until) { impl_->run(until); }
void Transport::wake() { impl_->wake(); }
std::uint16_t Transport::listen_port() const { return impl_->listen_port(); }
bool Transport::set_peer(raft::NodeId id, const std::string& addr) { return impl_->set_peer(id, addr); }
void Transport::remove_peer(raft::NodeId id) { impl_->remove_peer(id); }
void Transport::send(std::vector<raft::Message> msgs) { impl_->send(std::move(msgs)); }
void Transport::send_snapshot(const raft::Message& snap, std::string file_path, std::function<void(bool)> done) {
  impl_->send_snapshot(snap, std::move(file_path), std::move(done));
}
TransportStats Transport::stats() const { return impl_->stats(); }

}  // namespace taskraft::transport

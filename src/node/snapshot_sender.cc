// Implements snapshot_sender.h.
#include "node/snapshot_sender.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include "store/dsn.h"
#include "store/snapshot.h"
#include "transport/transport.h"

namespace taskraft::node {

SnapshotSender::SnapshotSender(store::Dsn mysql, std::filesystem::path out_dir,
                               transport::Transport& transport)
    : dsn_(std::move(mysql)), out_dir_(std::move(out_dir)), transport_(transport) {}

SnapshotSender::~SnapshotSender() { stop(); }

void SnapshotSender::start() {
  std::filesystem::create_directories(out_dir_);
  for (const auto& f : std::filesystem::directory_iterator(out_dir_)) std::filesystem::remove(f.path());
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "snapshot-send");
    run();
  });
}

void SnapshotSender::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& job : jobs_) job.done(false);
  jobs_.clear();
}

void SnapshotSender::send(raft::Message snap, std::function<void(bool ok)> done) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(Job{std::move(snap), std::move(done)});
  }
  cv_.notify_one();
}

void SnapshotSender::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    export_and_send(job);
  }
}

void SnapshotSender::export_and_send(Job& job) {
  auto path = out_dir_ / ("to-" + std::to_string(job.snap.to) + "-" + std::to_string(next_file_++) + ".snap");
  try {
    auto info = store::export_snapshot(dsn_, path);
    job.snap.snapshot = info.applied.snapshot_meta();
    spdlog::info("sending snapshot at index {} ({} rows, {} bytes) to node {}", info.applied.index,
                 info.rows, info.bytes, job.snap.to);
  } catch (const std::exception& e) {
    spdlog::error("snapshot export for node {} failed: {}", job.snap.to, e.what());
    std::filesystem::remove(path);
    job.done(false);
    return;
  }
  transport_.send_snapshot(job.snap, path.string(), [path, done = std::move(job.done)](bool ok) {
    std::filesystem::remove(path);
    done(ok);
  });
}

}  // namespace taskraft::node

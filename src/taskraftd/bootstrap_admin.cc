// Implements bootstrap_admin.h.
#include "taskraftd/bootstrap_admin.h"

#include <spdlog/spdlog.h>

#include <future>

#include "api/password.h"
#include "command.pb.h"
#include "node/node.h"
#include "store/dsn.h"
#include "store/reader.h"

namespace taskraft::daemon {
namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

BootstrapAdmin::BootstrapAdmin(node::Node& node, store::Dsn mysql, std::string password)
    : node_(node), dsn_(std::move(mysql)), password_(std::move(password)) {
  thread_ = std::thread([this] { run(); });
}

BootstrapAdmin::~BootstrapAdmin() { stop(); }

void BootstrapAdmin::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void BootstrapAdmin::run() {
  std::optional<store::Reader> reader;
  while (!stopping_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (node_.leader().id != node_.id() || !node_.ready()) continue;
    try {
      if (!reader) reader.emplace(dsn_);
      if (reader->get_user("admin")) return;
    } catch (const std::exception& e) {
      reader.reset();
      continue;  // MySQL is not answering; the node reports that itself
    }
    commandpb::Command cmd;
    cmd.set_version(commandpb::FORMAT_VERSION_1);
    cmd.set_at_ms(wall_ms());
    cmd.set_actor("system");
    auto* user = cmd.mutable_create_user();
    user->set_username("admin");
    user->set_password_hash(api::hash_password(password_));
    user->set_role(commandpb::USER_ROLE_ADMIN);
    std::promise<node::WriteResult> result;
    auto done = result.get_future();
    node_.submit(std::move(cmd), node::Clock::now() + std::chrono::seconds(10),
                 [&result](node::WriteResult r) { result.set_value(std::move(r)); });
    auto r = done.get();
    if (r.error == node::Error::kOk)
      spdlog::info("bootstrap: user admin created at index {} (status {})", r.index, r.outcome.http_status);
  }
}

}  // namespace taskraft::daemon

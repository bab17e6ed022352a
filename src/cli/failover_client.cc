// The failover loop (see failover_client.h).
#include "cli/failover_client.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <thread>

#include "cli/failure.h"

namespace taskraft::cli {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool node_trouble(int status) { return status == 502 || status == 503 || status == 504; }

milliseconds retry_after(const HttpResponse& response) {
  auto text = response.header("Retry-After");
  unsigned seconds = 0;
  if (!text || std::from_chars(text->data(), text->data() + text->size(), seconds).ec != std::errc()) {
    return milliseconds(0);
  }
  return milliseconds(std::min(seconds, 60u) * 1000);
}

// The integer value of header `name` (X-Raft-Leader, X-Raft-Node), if any.
std::optional<std::uint64_t> number_header(const HttpResponse& response, std::string_view name) {
  auto text = response.header(name);
  std::uint64_t value = 0;
  if (!text || text->empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

}  // namespace

FailoverClient::FailoverClient(std::vector<NodeAddress> nodes, FailoverOptions options) : options_(options) {
  assert(!nodes.empty());
  for (NodeAddress& node : nodes) connections_.push_back(std::make_unique<HttpConnection>(std::move(node)));
}

void FailoverClient::remember(std::size_t index, const HttpResponse& response) {
  if (auto node = number_header(response, "X-Raft-Node")) index_of_id_[*node] = index;
  current_ = index;
  if (auto leader = number_header(response, "X-Raft-Leader")) {
    if (auto it = index_of_id_.find(*leader); it != index_of_id_.end()) current_ = it->second;
  }
}

std::size_t FailoverClient::next_after(std::size_t failed, std::optional<std::uint64_t> hint,
                                       const std::vector<bool>& tried) const {
  if (hint) {
    auto it = index_of_id_.find(*hint);
    if (it != index_of_id_.end() && !tried[it->second]) return it->second;
  }
  for (std::size_t step = 1; step <= connections_.size(); ++step) {
    std::size_t i = (failed + step) % connections_.size();
    if (!tried[i]) return i;
  }
  return (failed + 1) % connections_.size();  // the round is over: start the next one
}

HttpResponse FailoverClient::send(const HttpRequest& request) {
  const auto give_up = Clock::now() + options_.deadline;
  std::vector<bool> tried(connections_.size(), false);
  milliseconds backoff(100);
  std::size_t i = current_;
  std::string last = "nothing was tried";
  while (true) {
    auto left = std::chrono::duration_cast<milliseconds>(give_up - Clock::now());
    milliseconds wait(0);
    std::optional<std::uint64_t> hint;
    try {
      HttpResponse response = connections_[i]->send(request, std::max(milliseconds(50), std::min(left, options_.request_timeout)));
      if (!node_trouble(response.status)) {
        remember(i, response);
        return response;
      }
      if (auto node = number_header(response, "X-Raft-Node")) index_of_id_[*node] = i;
      hint = number_header(response, "X-Raft-Leader");
      wait = retry_after(response);
      last = "HTTP " + std::to_string(response.status) + " from " + connections_[i]->node().url();
      std::string detail = ApiError::from_response(response).detail();
      if (!detail.empty()) last += ": " + detail;
    } catch (const TransportError& e) {
      last = e.what();
    }
    tried[i] = true;
    if (Clock::now() >= give_up) break;
    bool round_over = std::all_of(tried.begin(), tried.end(), [](bool t) { return t; });
    i = next_after(i, hint, tried);
    if (round_over) {
      auto pause = std::min(std::max(backoff, wait), std::chrono::duration_cast<milliseconds>(give_up - Clock::now()));
      if (pause.count() > 0) std::this_thread::sleep_for(pause);
      backoff = std::min(backoff * 2, milliseconds(1000));
      std::fill(tried.begin(), tried.end(), false);
    }
    if (Clock::now() >= give_up) break;
  }
  throw UnavailableError("no node could answer " + request.method + " " + request.target + " within " +
                         std::to_string(options_.deadline.count()) + " ms (last: " + last + ")");
}

}  // namespace taskraft::cli

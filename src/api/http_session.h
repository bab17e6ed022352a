// One client connection of the server: reads requests one after another (keep-alive, pipelined
// requests in order), hands each to the pipeline, writes its answer: the thread that answers
// (apply, query or io thread) writes what the socket takes at once, the io thread the rest.
// Internal to server.cc.
//
// Guarantees:
// - Limits: a header over max_header_bytes → 431, a body over max_body_bytes → 413, a request
//   Beast cannot parse → 400; each closes the connection after answering (the unread rest of the
//   request is drained briefly first, so the client sees the answer rather than a reset).
// - Timeouts: an idle connection is closed after idle_timeout; a request must arrive within
//   read_timeout of its first byte and its answer leave within write_timeout; so a slow client
//   holds one connection only, for a bounded time, and never stalls another.
// - Every answer, including those above, gets the X-Raft-* headers and is counted in the request
//   metrics.
// - Sessions live in a SessionSet: Server::stop() closes idle sessions at once and busy ones
//   right after their answer, and waits for the set to drain.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace taskraft::api {

struct Context;
class Router;
class Session;

class SessionSet {
 public:
  std::size_t size() const;
  // Idle sessions close now, busy ones after their answer; no new request is read.
  void close_idle();
  void close_all();  // closes every socket, busy or not (the last resort of stop())
  // True when the set drained by the deadline.
  bool wait_empty(std::chrono::steady_clock::time_point deadline);
  bool stopping() const;

  void add(const std::shared_ptr<Session>& s);
  void remove(Session* s);

 private:
  std::vector<std::shared_ptr<Session>> live();

  mutable std::mutex mu_;
  std::condition_variable drained_;
  std::map<Session*, std::weak_ptr<Session>> sessions_;
  bool stopping_ = false;
};

// Starts serving `socket` (whose executor must be a strand). With `reject` the session only
// answers 503 (too many connections) and closes.
void start_session(boost::asio::ip::tcp::socket socket, const Context& ctx, const Router& router,
                   SessionSet& sessions, bool reject);

}  // namespace taskraft::api

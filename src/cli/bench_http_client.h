// One client of the REST API benchmark on an event loop (bench_http_execution.h): one kept-alive
// connection to one node, at most one request outstanding, and what the client does before and
// while the clock runs. Includes Asio's awaitable: meant for bench_http_execution.cc only.
//
// Guarantees:
// - seed() checks that the node is healthy (opening the connection before the clock starts),
//   then creates the client's share of the seed tasks; settle(), once every client has seeded,
//   waits (min_index) until the node has applied all of them, so that no read in the run meets
//   a 404 for a seeded task. Both throw: UnavailableError when the node is unhealthy or
//   unreachable, ApiError when it refuses a create.
// - run() takes the client's turns (bench_pace.h) until the run ends, waiting on a timer for
//   each due time; every operation is recorded with its outcome (bench_http_workload.h),
//   failures are never retried, and after a connection failure the client pauses 50 ms so that
//   an unreachable node does not turn the run into a loop of instant errors. A lost or timed-out
//   connection is opened again by the next request.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cli/async_http_connection.h"
#include "cli/bench_http_workload.h"
#include "cli/bench_pace.h"
#include "cli/bench_tally.h"

namespace taskraft::cli {

class HttpClient {
 public:
  // Client `index` of `count`, talking to `node`; `pool` is read once the clock runs.
  HttpClient(boost::asio::io_context& io, unsigned index, unsigned count, NodeAddress node,
             const HttpBenchConfig& config, const SeedPool& pool);

  boost::asio::awaitable<void> seed();
  const SeedPool& seeded() const { return seeded_; }  // what seed() created
  boost::asio::awaitable<void> settle();
  boost::asio::awaitable<void> run(Pace& pace, Tally& tally);

 private:
  // The answer to `request`; throws UnavailableError when there is none.
  boost::asio::awaitable<HttpResponse> answer(const HttpRequest& request);
  boost::asio::awaitable<void> pause_until(BenchClock::time_point at);

  unsigned index_;
  const HttpBenchConfig& config_;
  AsyncHttpConnection connection_;
  HttpRequests requests_;
  boost::asio::steady_timer timer_;
  SeedPool seeded_;
};

}  // namespace taskraft::cli

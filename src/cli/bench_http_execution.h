// Executing the REST API benchmark on event loops: every client is a coroutine (one kept-alive
// connection, at most one request outstanding) on one of a few threads, each thread running an
// Asio io_context of its own, so a client costs no thread and no context switch of its own.
//
// Guarantees: client i talks to client_nodes[i] and lives on thread i % threads (never more
// threads than clients); a thread owns its clients, their connections and its tally, so nothing
// is locked per request. prepare() runs the clients' seed() and then, when tasks were seeded,
// their settle() (bench_http_client.h), re-throwing the first failure; the seeded tasks are the
// pool every client's requests draw from.
#pragma once

#include <memory>
#include <vector>

#include "cli/bench_http_workload.h"
#include "cli/bench_runner.h"
#include "cli/node_address.h"

namespace taskraft::cli {

std::unique_ptr<Execution> http_execution(HttpBenchConfig config, std::vector<NodeAddress> client_nodes,
                                          unsigned threads);

}  // namespace taskraft::cli

// The life of a read in the API layer (DESIGN.md "Reads"): wait for the barrier the consistency
// level asks for, then run the query on a query thread and answer with what it returns.
//
// Guarantees:
// - linearizable (the default): the query runs only after Service::read_linearizable said kOk,
//   so it sees every write acknowledged before the request arrived; a node cut off from the
//   quorum answers 503, never stale data.
// - stale / min_index=N: the query runs once this node has applied at least N (0 for stale).
// - A read given `from_memory` tries it first, on the io thread, once the barrier passed: what it
//   returns must be at least as new as the store (the task cache's promise, task_cache.h); when
//   it returns nullopt the query runs as usual.
// - The answer carries X-Raft-Index: the applied index the read is guaranteed to see.
// - MySQL failures become 503 with Retry-After (the node may be catching up), other exceptions
//   500; neither ever reaches an io thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "api/query_params.h"

namespace taskraft::store {
class Reader;
}

namespace taskraft::api {

struct Context;
class Call;
struct Response;

using Query = std::function<Response(store::Reader&)>;
using FromMemory = std::function<std::optional<Response>()>;

void read(const Context& ctx, const std::shared_ptr<Call>& call, ReadLevel level, Query query,
          FromMemory from_memory = {});

// Runs `work` on a query thread and answers with its Response (exceptions as above). For work
// that needs no barrier (or has had its own).
void answer_from_pool(const Context& ctx, const std::shared_ptr<Call>& call, Query work);

}  // namespace taskraft::api

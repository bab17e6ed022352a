// Reads: barrier, then memory or the query on a query thread (see read_path.h).
#include "api/read_path.h"

#include <spdlog/spdlog.h>

#include "api/call.h"
#include "api/context.h"
#include "api/problems.h"
#include "api/query_pool.h"
#include "api/write_path.h"
#include "store/error.h"

namespace taskraft::api {
namespace {

Response database_unavailable(const Context& ctx, const char* why) {
  return problem_response(problems::unavailable(std::string("this node's database cannot be read: ") + why),
                          ctx.limits.retry_after_seconds);
}

}  // namespace

void answer_from_pool(const Context& ctx, const std::shared_ptr<Call>& call, Query work) {
  ctx.queries.submit([&ctx, call, work = std::move(work)](store::Reader* reader) {
    if (!reader) return call->reply(database_unavailable(ctx, "no connection"));
    try {
      return call->reply(work(*reader));
    } catch (const store::DbError& e) {
      spdlog::warn("api: {} {}: {}", call->request().method, call->route(), e.what());
      return call->reply(database_unavailable(ctx, e.what()));
    } catch (const std::exception& e) {
      spdlog::error("api: {} {}: {}", call->request().method, call->route(), e.what());
      return call->reply(problem_response(problems::internal("the query failed")));
    }
  });
}

void read(const Context& ctx, const std::shared_ptr<Call>& call, ReadLevel level, Query query, FromMemory from_memory) {
  auto then = ctx.on_io<node::ReadResult>([&ctx, call, level, query = std::move(query),
                                           from_memory = std::move(from_memory)](node::ReadResult result) {
    if (result.error == node::Error::kBeyondLog) {
      return answer_error(ctx, call, result.error,
                          std::to_string(level.min_index) + " is beyond the log: the cluster has committed up to " +
                              std::to_string(result.applied_index));
    }
    if (result.error != node::Error::kOk) return answer_error(ctx, call, result.error);
    auto stamped = [index = std::to_string(result.applied_index)](Response r) {
      r.headers.set("X-Raft-Index", index);
      return r;
    };
    if (from_memory) {
      if (auto r = from_memory()) return call->reply(stamped(std::move(*r)));
    }
    answer_from_pool(ctx, call, [query, stamped](store::Reader& reader) { return stamped(query(reader)); });
  });
  if (level.linearizable) {
    ctx.service.read_linearizable(call->deadline(), std::move(then));
  } else {
    ctx.service.read_at_least(level.min_index, call->deadline(), std::move(then));
  }
}

}  // namespace taskraft::api

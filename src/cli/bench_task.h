// The task a benchmark creates, the same for the cluster (the JSON body of POST /v1/tasks) and
// for the MariaDB baseline (the row the state machine would store), so both write equal rows.
//
// Guarantees: title "bench <client>-<seq>" (unique per run), a description of exactly `payload`
// ASCII bytes, status todo, priority high, project "bench", no due date, tags or assignee.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "store/task.h"

namespace taskraft::cli {

std::string bench_title(unsigned client, std::uint64_t seq);
std::string bench_description(std::size_t payload);

boost::json::object bench_task_body(std::string title, std::string description);
store::Task bench_task_row(store::TaskId id, std::string title, std::string description, std::string created_by,
                           std::int64_t now_ms);

}  // namespace taskraft::cli

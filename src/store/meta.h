// The state machine's own bookkeeping row: how far the log is applied, the task id counter and
// the log clock.
//
// Guarantees: one row (id 1) that every apply transaction writes at its end (and reads, locked,
// at its start unless the store still holds what the last commit wrote), so applied_index
// always describes exactly the rows committed with it.
// `log_clock_ms` is the largest command time applied so far; it never goes backwards, even when
// a new leader's clock is behind the old one's.
#pragma once

#include <cstdint>

#include "raft/types.h"
#include "store/task.h"

namespace taskraft::store {

class Connection;

struct MetaRow {
  raft::Index applied_index = 0;
  raft::Term applied_term = 0;
  TaskId next_task_id = 1;
  std::int64_t log_clock_ms = 0;

  friend bool operator==(const MetaRow&, const MetaRow&) = default;
};

// With lock=true the row stays locked (FOR UPDATE) until the transaction ends.
MetaRow load_meta(Connection& c, bool lock);
void save_meta(Connection& c, const MetaRow& m);

}  // namespace taskraft::store

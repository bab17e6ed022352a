// The task state machine's transition function: applies one committed command to MySQL.
//
// Runs inside the caller's apply transaction (Store::apply) and touches nothing else: the
// outcome, the rows written and the meta counters depend only on the entry and the rows before
// it, never on the node, the wall clock or timing. That is what lets every node apply the same
// log to the same state, and what makes an outcome safe to return to the client from any node.
//
// Rules (DESIGN.md "determinism"): ids come from meta.next_task_id; times from the command's
// at_ms, raised to the log clock so they never go backwards; If-Match, uniqueness and validity
// are decided here; a request with an idempotency key is answered from its record when retried.
#pragma once

#include "raft/types.h"
#include "store/meta.h"
#include "store/outcome.h"
#include "store/task_cache.h"

namespace taskraft::commandpb {
class Command;
class CreateTask;
class UpdateTask;
class DeleteTask;
class CreateUser;
}  // namespace taskraft::commandpb

namespace taskraft::store {

class Connection;

class CommandApplier {
 public:
  // `meta` is the locked meta row of the open transaction; apply() advances its counters
  // (the caller sets applied_index and saves it). `changes` gets every task the applied
  // commands create, change or delete, in log order, for the task cache once the batch commits.
  CommandApplier(Connection& c, MetaRow& meta, std::vector<TaskChange>& changes)
      : c_(c), meta_(meta), changes_(changes) {}

  // Applies a normal, non-empty entry. Throws UnsupportedCommand for a command format newer
  // than this binary knows, DbError when MySQL fails; anything else is an Outcome.
  Outcome apply(const raft::Entry& e);

 private:
  Outcome run(const commandpb::Command& cmd);
  Outcome create_task(const commandpb::CreateTask& m);
  Outcome update_task(const commandpb::UpdateTask& m);
  Outcome delete_task(const commandpb::DeleteTask& m);
  Outcome create_user(const commandpb::CreateUser& m);

  // Notes `body` (the task_body() of `t`) as the task's change for the cache, and returns it.
  std::string changed(const Task& t, std::string body);

  Connection& c_;
  MetaRow& meta_;
  std::vector<TaskChange>& changes_;
  // The command being applied.
  const raft::Entry* entry_ = nullptr;
  std::int64_t now_ms_ = 0;
  std::string actor_;
};

}  // namespace taskraft::store

// Tasks and their history as people read them (the JSON shapes of API.md "Tasks").
//
// Guarantees: every field of a task appears in print_task; a list shows one line per task with
// its id, status, priority, due date, title, tags, assignee and project; history shows each
// change with its version, Raft index and term, time, actor, operation and changed fields.
// Members the server leaves out print as "-", never as a crash.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <iosfwd>

namespace taskraft::cli {

void print_task(std::ostream& out, const boost::json::object& task);
void print_task_list(std::ostream& out, const boost::json::array& tasks);
void print_history(std::ostream& out, const boost::json::array& items);

}  // namespace taskraft::cli

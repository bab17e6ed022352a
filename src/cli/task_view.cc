// Rendering of tasks and history (see task_view.h).
#include "cli/task_view.h"

#include <boost/json.hpp>
#include <ostream>

#include "cli/output.h"

namespace taskraft::cli {
namespace {

std::string field(const boost::json::object& o, std::string_view name) { return cell(o.if_contains(name)); }

// "2026-12-01T17:00:00Z" as "2026-12-01 17:00" (other text as it is).
std::string short_time(std::string t) {
  if (t.size() >= 16 && t[10] == 'T') return t.substr(0, 10) + " " + t.substr(11, 5);
  return t;
}

std::string tag_list(const boost::json::object& task) {
  const boost::json::value* tags = task.if_contains("tags");
  if (!tags || !tags->is_array() || tags->get_array().empty()) return "-";
  std::string out;
  for (const boost::json::value& t : tags->get_array()) out += (out.empty() ? "" : ",") + cell(&t);
  return out;
}

// {"status":{"from":"todo","to":"done"},...} as "status: todo→done; ...".
std::string change_list(const boost::json::value* changes) {
  if (!changes || !changes->is_object()) return cell(changes);
  std::string out;
  for (const auto& [name, change] : changes->get_object()) {
    out += out.empty() ? "" : "; ";
    const boost::json::object* c = change.if_object();
    if (!c) {
      out += std::string(name) + ": " + cell(&change);
      continue;
    }
    const boost::json::value* from = c->if_contains("from");
    out += std::string(name) + ": ";
    if (from && !from->is_null()) out += cell(from) + "→";
    out += cell(c->if_contains("to"));
  }
  return out.empty() ? "-" : out;
}

}  // namespace

void print_task(std::ostream& out, const boost::json::object& t) {
  out << "task " << field(t, "id") << " (version " << field(t, "version") << ")\n";
  auto line = [&](const char* label, const std::string& value) { out << "  " << label << value << "\n"; };
  line("title:       ", field(t, "title"));
  line("status:      ", field(t, "status"));
  line("priority:    ", field(t, "priority"));
  line("due:         ", field(t, "due_at"));
  line("tags:        ", tag_list(t));
  line("assignee:    ", field(t, "assignee"));
  line("project:     ", field(t, "project"));
  line("created:     ", field(t, "created_at") + " by " + field(t, "created_by"));
  line("updated:     ", field(t, "updated_at"));
  std::string description = field(t, "description");
  if (description.empty()) return;
  out << "  description:\n";
  std::size_t start = 0;
  while (start <= description.size()) {
    std::size_t end = description.find('\n', start);
    out << "    " << description.substr(start, end - start) << "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

void print_task_list(std::ostream& out, const boost::json::array& tasks) {
  Table table({{"ID", 12}, {"STATUS", 11}, {"PRIORITY", 8}, {"DUE", 16}, {"TITLE", 50}, {"TAGS", 30},
               {"ASSIGNEE", 16}, {"PROJECT", 20}});
  for (const boost::json::value& v : tasks) {
    const boost::json::object* t = v.if_object();
    if (!t) continue;
    std::string due = field(*t, "due_at");
    table.add({field(*t, "id"), field(*t, "status"), field(*t, "priority"), due == "-" ? due : short_time(due),
               field(*t, "title"), tag_list(*t), field(*t, "assignee"), field(*t, "project")});
  }
  table.print(out);
}

void print_history(std::ostream& out, const boost::json::array& items) {
  Table table({{"VERSION", 8}, {"INDEX", 12}, {"TERM", 8}, {"AT", 24}, {"ACTOR", 16}, {"OP", 8}, {"CHANGES", 100}});
  for (const boost::json::value& v : items) {
    const boost::json::object* h = v.if_object();
    if (!h) continue;
    table.add({field(*h, "version"), field(*h, "raft_index"), field(*h, "raft_term"), field(*h, "at"),
               field(*h, "actor"), field(*h, "op"), change_list(h->if_contains("changes"))});
  }
  table.print(out);
}

}  // namespace taskraft::cli

// Formatting for the simulator's step trace; see trace.h.
#include "trace.h"

#include <cstdarg>
#include <cstdio>

#include "raft/raft.h"

namespace taskraft::sim {

namespace {

std::string vstrf(const char* fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string out(static_cast<std::size_t>(n), '\0');
  std::vsnprintf(out.data(), out.size() + 1, fmt, ap);
  return out;
}

std::string ids(const std::vector<raft::NodeId>& v) {
  std::string out;
  for (auto id : v) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

using ull = unsigned long long;

}  // namespace

std::string strf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string out = vstrf(fmt, ap);
  va_end(ap);
  return out;
}

std::string describe(const raft::ConfState& c) {
  return "{voters " + ids(c.voters) + (c.learners.empty() ? "" : " learners " + ids(c.learners)) + "}";
}

std::string describe(const raft::ConfChange& cc) {
  static const char* names[] = {"add-learner", "promote", "remove"};
  return strf("%s %llu", names[static_cast<int>(cc.type)], static_cast<ull>(cc.node));
}

std::string describe(const raft::Message& m) {
  std::string out = strf("%s %llu->%llu t%llu", raft::to_string(m.type), static_cast<ull>(m.from),
                         static_cast<ull>(m.to), static_cast<ull>(m.term));
  switch (m.type) {
    case raft::MessageType::kApp:
      out += strf(" prev %llu/%llu n%zu commit %llu", static_cast<ull>(m.index),
                  static_cast<ull>(m.log_term), m.entries.size(), static_cast<ull>(m.commit));
      break;
    case raft::MessageType::kVote:
    case raft::MessageType::kPreVote:
      out += strf(" last %llu/%llu%s", static_cast<ull>(m.index), static_cast<ull>(m.log_term),
                  m.transfer ? " transfer" : "");
      break;
    case raft::MessageType::kSnap:
      out += strf(" snap %llu/%llu %s", static_cast<ull>(m.snapshot.index),
                  static_cast<ull>(m.snapshot.term), describe(m.snapshot.conf).c_str());
      break;
    case raft::MessageType::kHeartbeat:
      out += strf(" commit %llu", static_cast<ull>(m.commit));
      break;
    default:
      out += strf(" idx %llu%s", static_cast<ull>(m.index),
                  m.reject ? strf(" reject hint %llu/%llu", static_cast<ull>(m.reject_hint),
                                  static_cast<ull>(m.log_term)).c_str()
                           : "");
  }
  if (!m.context.empty()) out += " ctx " + m.context;
  return out;
}

void Trace::operator()(const char* fmt, ...) const {
  if (!enabled_) return;
  va_list ap;
  va_start(ap, fmt);
  const std::string line = vstrf(fmt, ap);
  va_end(ap);
  std::printf("%9.3f %s\n", static_cast<double>(now_) / kTickUnits, line.c_str());
}

}  // namespace taskraft::sim

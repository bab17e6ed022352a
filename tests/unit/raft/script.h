// Helpers for scripting a single Raft core by hand in unit tests: build messages, run one Ready
// cycle as a caller that persisted everything, pick messages out of a Ready, win an election.
#pragma once

#include <string>
#include <vector>

#include "raft/raft.h"

namespace taskraft::raft::testing {

inline Message msg(MessageType type, NodeId from, NodeId to, Term term) {
  Message m;
  m.type = type;
  m.from = from;
  m.to = to;
  m.term = term;
  return m;
}

inline std::vector<Entry> entries_of_terms(const std::vector<Term>& terms, Index first = 1) {
  std::vector<Entry> out;
  for (Term t : terms) out.push_back(Entry{t, first++, EntryType::kNormal, "e"});
  return out;
}

// A fresh member of `voters` whose durable log holds entries of `terms` (from index 1).
inline InitialState with_log(std::vector<NodeId> voters, const std::vector<Term>& terms, HardState hard) {
  InitialState s;
  s.snapshot.conf.voters = std::move(voters);
  s.entries = entries_of_terms(terms);
  s.hard = hard;
  return s;
}

inline Message append(NodeId from, NodeId to, Term term, Index prev_index, Term prev_term) {
  Message m = msg(MessageType::kApp, from, to, term);
  m.index = prev_index;
  m.log_term = prev_term;
  return m;
}

// ready() and advance(), as a caller that carried everything out.
inline Ready cycle(Raft& r) {
  Ready rd = r.ready();
  r.advance(rd);
  return rd;
}

inline std::vector<Message> sent(const Ready& rd) {
  std::vector<Message> out = rd.send_now;
  out.insert(out.end(), rd.send_after_persist.begin(), rd.send_after_persist.end());
  return out;
}

inline std::vector<Message> of_type(const std::vector<Message>& ms, MessageType t) {
  std::vector<Message> out;
  for (const Message& m : ms) {
    if (m.type == t) out.push_back(m);
  }
  return out;
}

// Steps `m` into `r` and returns what `r` says in the following Ready.
inline std::vector<Message> answer(Raft& r, const Message& m) {
  r.step(m);
  return sent(cycle(r));
}

// Campaigns and answers every (pre-)vote request with a grant; `r` ends as leader.
inline void win_election(Raft& r) {
  r.campaign();
  for (int round = 0; round < 2 && r.status().role != Role::kLeader; ++round) {
    for (const Message& m : sent(cycle(r))) {
      if (m.type != MessageType::kPreVote && m.type != MessageType::kVote) continue;
      const MessageType resp = m.type == MessageType::kVote ? MessageType::kVoteResp : MessageType::kPreVoteResp;
      r.step(msg(resp, m.to, m.from, m.term));
    }
  }
}

// Leader 1 of `voters` (1 among them) whose followers acknowledged its no-op: all are in
// replicate state, and an entry of its term is committed.
inline Raft replicating_leader(Config c = Config{}, const std::vector<NodeId>& voters = {1, 2, 3}) {
  c.id = 1;
  InitialState init;
  init.snapshot.conf.voters = voters;
  Raft r(c, init);
  win_election(r);
  cycle(r);
  for (NodeId f : voters) {
    if (f == 1) continue;
    Message m = msg(MessageType::kAppResp, f, 1, r.status().hard.term);
    m.index = 1;
    r.step(m);
  }
  cycle(r);  // the commit index to the followers
  return r;
}

// Acknowledges, from `from`, everything up to `index` at the leader's term.
inline void ack(Raft& leader, NodeId from, Index index) {
  Message m = msg(MessageType::kAppResp, from, leader.status().id, leader.status().hard.term);
  m.index = index;
  leader.step(m);
}

}  // namespace taskraft::raft::testing

// Implements proposal_relay.h.
#include "node/proposal_relay.h"

#include <random>
#include <utility>

namespace taskraft::node {

namespace {

std::uint64_t random_start() {
  std::random_device device;
  return std::uint64_t{device()} << 32 | device();
}

}  // namespace

ProposalRelay::ProposalRelay(raft::NodeId self, ApplyWaiters& waiters)
    : self_(self), waiters_(waiters), next_request_(random_start()) {}

void ProposalRelay::relay(raft::NodeId leader, raft::Term term, std::string data, Deadline deadline,
                          std::function<void(WriteResult)> done) {
  const std::uint64_t request = next_request_++;
  auto [it, fresh] = outgoing_.try_emplace(leader);
  raft::Message& m = it->second;
  if (fresh) {
    m.type = raft::MessageType::kProp;
    m.from = self_;
    m.to = leader;
  }
  m.term = term;
  m.entries.push_back(raft::Entry{0, request, raft::EntryType::kNormal, std::move(data)});
  unanswered_.emplace(request, Relayed{leader, deadline, std::move(done), Clock::now()});
}

std::vector<raft::Message> ProposalRelay::take_outgoing() {
  std::vector<raft::Message> out;
  out.reserve(outgoing_.size());
  for (auto& [leader, m] : outgoing_) out.push_back(std::move(m));
  outgoing_.clear();
  return out;
}

void ProposalRelay::answered(const raft::Message& answer) {
  auto it = unanswered_.find(answer.reject_hint);
  if (it == unanswered_.end() || it->second.leader != answer.from) return;  // expired, or not ours
  Relayed r = std::move(it->second);
  unanswered_.erase(it);
  if (answer.reject) return r.done(WriteResult{Error::kNoLeader, {}, 0, 0});
  // The answer precedes the entry on the link, so the entry cannot be applied here yet; an
  // index already applied means something else came first (a snapshot): the fate is unknown.
  if (answer.index <= waiters_.applied()) return r.done(WriteResult{Error::kTimeout, {}, 0, 0});
  waiters_.add_proposal(answer.index, answer.log_term, r.deadline, std::move(r.done), r.since);
}

std::vector<raft::Message> ProposalRelay::place(raft::Message& m, raft::NodeId self, raft::Term term,
                                                const std::function<raft::ProposeResult(std::string)>& propose) {
  std::vector<raft::Message> answers;
  answers.reserve(m.entries.size());
  for (raft::Entry& e : m.entries) {
    raft::Message a;
    a.type = raft::MessageType::kPropResp;
    a.from = self;
    a.to = m.from;
    a.term = term;
    a.reject_hint = e.index;
    // A sender in a later term knows of a newer leader: this one's entries would never commit.
    const raft::ProposeResult r =
        m.term > term ? raft::ProposeResult{raft::Error::kNotLeader} : propose(std::move(e.data));
    a.reject = r.error != raft::Error::kOk;
    a.index = r.index;
    a.log_term = r.term;
    answers.push_back(std::move(a));
  }
  return answers;
}

void ProposalRelay::expire(Clock::time_point now) {
  for (auto it = unanswered_.begin(); it != unanswered_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    auto done = std::move(it->second.done);
    it = unanswered_.erase(it);
    done(WriteResult{Error::kTimeout, {}, 0, 0});
  }
}

void ProposalRelay::leader_changed() { fail_all(Error::kTimeout); }

void ProposalRelay::fail_all(Error error) {
  auto all = std::exchange(unanswered_, {});
  outgoing_.clear();
  for (auto& [request, r] : all) r.done(WriteResult{error, {}, 0, 0});
}

}  // namespace taskraft::node

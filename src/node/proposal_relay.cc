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

raft::Message ProposalRelay::relay(raft::NodeId leader, raft::Term term, std::string data, Deadline deadline,
                                   std::function<void(WriteResult)> done) {
  raft::Message m;
  m.type = raft::MessageType::kProp;
  m.from = self_;
  m.to = leader;
  m.term = term;
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mu_);
  const std::uint64_t request = next_request_++;
  m.entries.push_back(raft::Entry{0, request, raft::EntryType::kNormal, std::move(data)});
  unanswered_.emplace(request, Relayed{leader, deadline, std::move(done), now});
  return m;
}

void ProposalRelay::answered(const raft::Message& answer) {
  Relayed r;
  {
    std::lock_guard lock(mu_);
    auto it = unanswered_.find(answer.reject_hint);
    if (it == unanswered_.end() || it->second.leader != answer.from) return;  // expired, or not ours
    r = std::move(it->second);
    unanswered_.erase(it);
  }
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

void ProposalRelay::expire(Clock::time_point now, raft::NodeId leader) {
  std::map<std::uint64_t, Relayed> expired;
  {
    std::lock_guard lock(mu_);
    for (auto it = unanswered_.begin(); it != unanswered_.end();) {
      if (it->second.deadline > now && it->second.leader == leader) {
        ++it;
      } else {
        expired.insert(unanswered_.extract(it++));
      }
    }
  }
  end(std::move(expired), Error::kTimeout);
}

void ProposalRelay::leader_changed() { fail_all(Error::kTimeout); }

void ProposalRelay::fail_all(Error error) {
  std::map<std::uint64_t, Relayed> all;
  {
    std::lock_guard lock(mu_);
    all.swap(unanswered_);
  }
  end(std::move(all), error);
}

std::size_t ProposalRelay::unanswered() const {
  std::lock_guard lock(mu_);
  return unanswered_.size();
}

void ProposalRelay::end(std::map<std::uint64_t, Relayed> ended, Error error) {
  for (auto& [request, r] : ended) r.done(WriteResult{error, {}, 0, 0});
}

}  // namespace taskraft::node

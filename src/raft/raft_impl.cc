// The Raft role state machine; see raft_impl.h for what it guarantees and raft.h for the contract
// with the caller. The structure follows etcd-io/raft's raft.go: step() first applies the term
// rules common to every role, then hands the message to the role's own step function.
#include "raft/raft_impl.h"

#include <algorithm>
#include <cassert>
#include <limits>

#include "raft/conf_change.h"
#include "raft/quorum.h"

namespace taskraft::raft {
namespace {

bool is_leader_message(MessageType t) {
  return t == MessageType::kApp || t == MessageType::kHeartbeat || t == MessageType::kSnap;
}

Message make(MessageType type, NodeId to) {
  Message m;
  m.type = type;
  m.to = to;
  return m;
}

}  // namespace

RaftImpl::RaftImpl(const Config& config, const InitialState& initial)
    : cfg_(config),
      rng_(config.seed ^ (config.id * 0x9E3779B97F4A7C15ULL)),
      log_(initial.snapshot, initial.entries, initial.hard.commit, config.applied),
      term_(initial.hard.term),
      vote_(initial.hard.vote),
      conf_(initial.snapshot.conf),
      durable_term_(initial.hard.term) {
  assert(cfg_.id != kNoNode);
  assert(cfg_.heartbeat_tick > 0 && cfg_.election_tick > cfg_.heartbeat_tick);
  assert(cfg_.max_inflight_msgs > 0);
  // The state machine already applied these; their membership changes are not handed out again.
  for (Index i = log_.first_index(); i <= log_.applied(); ++i) {
    const Entry& e = log_.at(i);
    if (e.type != EntryType::kConfChange) continue;
    const std::optional<ConfChange> cc = decode_conf_change(e.data);
    assert(cc && "a committed conf change entry must decode");
    if (validate_conf_change(conf_, *cc) != Error::kOk) continue;
    conf_ = apply_to(conf_, *cc);
    conf_history_.emplace_back(i, conf_);
  }
  prev_hard_ = HardState{term_, vote_, log_.committed()};
  reset_timers();
}

// ---- roles ---------------------------------------------------------------------------------

void RaftImpl::reset_timers() {
  election_elapsed_ = 0;
  heartbeat_elapsed_ = 0;
  randomized_timeout_ =
      cfg_.election_tick + static_cast<int>(rng_.below(static_cast<std::uint64_t>(cfg_.election_tick)));
}

void RaftImpl::become_follower(Term term, NodeId leader) {
  assert(term >= term_);
  const bool was_leader = role_ == Role::kLeader;
  if (term != term_ || leader != lead_) fail_forwarded_reads();
  if (term > term_) {
    term_ = term;
    vote_ = kNoNode;
  }
  role_ = Role::kFollower;
  lead_ = leader;
  transferee_ = kNoNode;
  leaving_ = false;
  votes_.clear();
  reset_timers();
  if (was_leader) {
    fail_leader_reads();
    progress_.clear();
  }
}

void RaftImpl::become_pre_candidate() {
  assert(role_ != Role::kLeader);
  fail_forwarded_reads();
  role_ = Role::kPreCandidate;
  lead_ = kNoNode;
  votes_.clear();
  reset_timers();
}

void RaftImpl::become_candidate() {
  assert(role_ != Role::kLeader);
  fail_forwarded_reads();
  term_ += 1;
  vote_ = cfg_.id;
  role_ = Role::kCandidate;
  lead_ = kNoNode;
  votes_.clear();
  reset_timers();
}

void RaftImpl::become_leader() {
  assert(role_ == Role::kCandidate && vote_ == cfg_.id);
  assert(promotable());
  role_ = Role::kLeader;
  lead_ = cfg_.id;
  transferee_ = kNoNode;
  reset_timers();
  progress_.clear();
  sync_progress_with_conf();
  for (auto& [id, pr] : progress_) pr.recent_active = id == cfg_.id;  // until they answer
  self_progress().maybe_update(log_.stable());
  // Any entry already in the log may be an unapplied conf change (conf_change.h).
  pending_conf_index_ = log_.last_index();
  // The no-op of the new term: committing it commits everything before it (Figure 8).
  log_.append(term_, EntryType::kNormal, std::string());
}

bool RaftImpl::promotable() const { return is_voter(conf_, cfg_.id); }

bool RaftImpl::lacks_configuration() const { return conf_.voters.empty() && conf_.learners.empty(); }

bool RaftImpl::has_unapplied_conf_changes() const {
  if (!conf_to_apply_.empty()) return true;
  for (Index i = log_.applied() + 1; i <= log_.committed(); ++i) {
    if (log_.at(i).type == EntryType::kConfChange) return true;
  }
  return false;
}

void RaftImpl::hup(bool transfer) {
  if (role_ == Role::kLeader || !promotable() || has_unapplied_conf_changes()) return;
  start_campaign(cfg_.pre_vote && !transfer ? CampaignKind::kPreVote : CampaignKind::kVote, transfer);
}

void RaftImpl::start_campaign(CampaignKind kind, bool transfer) {
  Term vote_term = 0;
  if (kind == CampaignKind::kPreVote) {
    become_pre_candidate();
    vote_term = term_ + 1;  // the term it would campaign in; its own term does not move
  } else {
    become_candidate();
    vote_term = term_;
  }
  votes_[cfg_.id] = true;
  const VoteResult result = tally(conf_.voters, votes_);
  if (result == VoteResult::kWon) {
    record_vote_result(result);
    return;
  }
  const MessageType type = kind == CampaignKind::kPreVote ? MessageType::kPreVote : MessageType::kVote;
  for (NodeId v : conf_.voters) {
    if (v == cfg_.id) continue;
    Message m = make(type, v);
    m.term = vote_term;
    m.log_term = log_.last_term();
    m.index = log_.last_index();
    m.transfer = transfer;
    send(std::move(m));
  }
}

void RaftImpl::record_vote_result(VoteResult result) {
  if (result == VoteResult::kWon) {
    if (role_ == Role::kPreCandidate) {
      start_campaign(CampaignKind::kVote, false);
    } else {
      become_leader();
    }
  } else if (result == VoteResult::kLost) {
    become_follower(term_, kNoNode);
  }
}

// ---- ticks -----------------------------------------------------------------------------------

void RaftImpl::tick() {
  ++ticks_;
  while (!forwarded_reads_.empty() &&
         forwarded_reads_.front().sent_at_tick + static_cast<std::uint64_t>(cfg_.election_tick) <= ticks_) {
    failed_reads_.push_back(std::move(forwarded_reads_.front().context));
    forwarded_reads_.pop_front();
  }
  ++election_elapsed_;
  if (role_ != Role::kLeader) {
    if (promotable() && election_elapsed_ >= randomized_timeout_) {
      election_elapsed_ = 0;
      hup(false);
    }
    return;
  }
  ++heartbeat_elapsed_;
  if (election_elapsed_ >= cfg_.election_tick) {
    election_elapsed_ = 0;
    if (cfg_.check_quorum) {
      if (!quorum_active()) {
        become_follower(term_, kNoNode);
        return;
      }
      for (auto& [id, pr] : progress_) pr.recent_active = id == cfg_.id;
    }
    transferee_ = kNoNode;  // a transfer not done within an election timeout is abandoned
  }
  if (heartbeat_elapsed_ >= cfg_.heartbeat_tick) {
    heartbeat_elapsed_ = 0;
    if (leaving_) {
      hand_over_after_removal();
    } else {
      broadcast_heartbeat();
    }
  }
}

// ---- messages --------------------------------------------------------------------------------

void RaftImpl::send(Message m) {
  m.from = cfg_.id;
  if (m.term == 0) m.term = term_;
  // Only a leader whose term is durable sends without waiting for the sync; everything a
  // follower or candidate says (votes, acknowledgements) promises state that must be durable.
  if (role_ == Role::kLeader && term_ == durable_term_) {
    msgs_now_.push_back(std::move(m));
  } else {
    msgs_after_persist_.push_back(std::move(m));
  }
}

void RaftImpl::drop_unsent_acks_from(Index cut) {
  // An acknowledgement waiting for this Ready's sync would claim entries that the sync will not
  // write any more. Dropping it is as safe as losing it on the network: the leader asks again.
  std::erase_if(msgs_after_persist_, [cut](const Message& m) {
    return m.type == MessageType::kAppResp && !m.reject && m.index >= cut;
  });
}

bool RaftImpl::well_formed(const Message& m) const {
  if (m.to != cfg_.id || m.from == kNoNode || m.from == cfg_.id || m.term == 0) return false;
  if (m.type > MessageType::kTimeoutNow) return false;  // kProp, kPropResp: the node layer's
  if (m.type == MessageType::kApp) {
    Index expect = m.index + 1;
    Term prev_term = m.log_term;
    for (const Entry& e : m.entries) {
      if (e.index != expect++ || e.term < prev_term || e.term > m.term) return false;
      prev_term = e.term;
    }
  }
  return true;
}

void RaftImpl::step(Message&& m) {
  if (!well_formed(m)) return;
  if (m.term > term_) {
    if (m.type == MessageType::kVote || m.type == MessageType::kPreVote) {
      // Check-quorum lease: while we hear from a leader, a vote request is a disruption
      // (a partitioned node rejoining), unless the leader itself asked for it (transfer).
      const bool in_lease =
          cfg_.check_quorum && lead_ != kNoNode && election_elapsed_ < cfg_.election_tick;
      if (in_lease && !m.transfer) return;
    }
    if (m.type == MessageType::kPreVote || (m.type == MessageType::kPreVoteResp && !m.reject)) {
      // A pre-vote never changes terms; a granted one carries the term the candidate will use.
    } else if (is_leader_message(m.type)) {
      become_follower(m.term, m.from);
    } else {
      // A higher-term vote request moves us to its term, but only granting it restarts our
      // election timer (dissertation 3.4): a candidate whose log we refuse, campaigning over
      // and over on a fast clock, must not keep a more up-to-date node from ever campaigning.
      const int elapsed = election_elapsed_;
      become_follower(m.term, kNoNode);
      if (m.type == MessageType::kVote) election_elapsed_ = elapsed;
    }
  } else if (m.term < term_) {
    if ((cfg_.check_quorum || cfg_.pre_vote) &&
        (m.type == MessageType::kHeartbeat || m.type == MessageType::kApp)) {
      // A stale leader that we no longer follow: tell it the term so it steps down. Without
      // this, pre-vote or check-quorum could keep it leading a partition forever.
      send(make(MessageType::kAppResp, m.from));
    } else if (m.type == MessageType::kPreVote || m.type == MessageType::kVote) {
      // Refused with our term, which the candidate takes up: a candidate we never write to (to
      // us it is a learner, our configuration being behind its own) would otherwise campaign
      // below our term forever, and if it is the only one able to win, nobody ever leads.
      const bool pre = m.type == MessageType::kPreVote;
      Message resp = make(pre ? MessageType::kPreVoteResp : MessageType::kVoteResp, m.from);
      resp.reject = true;
      send(std::move(resp));
    }
    return;
  }

  switch (m.type) {
    case MessageType::kVote:
    case MessageType::kPreVote:
      handle_vote_request(m);
      return;
    default:
      break;
  }
  switch (role_) {
    case Role::kLeader: step_leader(m); return;
    case Role::kPreCandidate:
    case Role::kCandidate: step_candidate(m); return;
    case Role::kFollower: step_follower(m); return;
  }
}

void RaftImpl::handle_vote_request(const Message& m) {
  const bool pre = m.type == MessageType::kPreVote;
  bool can_vote = vote_ == m.from || (vote_ == kNoNode && lead_ == kNoNode) || (pre && m.term > term_);
  // Pre-vote (dissertation 9.6): refuse while we hear from a leader, so that a node coming back
  // from a partition can not start an election that would depose a working leader.
  if (pre && lead_ != kNoNode && election_elapsed_ < cfg_.election_tick) can_vote = false;
  Message resp = make(pre ? MessageType::kPreVoteResp : MessageType::kVoteResp, m.from);
  if (can_vote && log_.is_up_to_date(m.index, m.log_term)) {
    resp.term = m.term;
    if (!pre) {
      assert(m.term == term_ && (vote_ == kNoNode || vote_ == m.from));
      vote_ = m.from;
      election_elapsed_ = 0;
    }
  } else {
    resp.reject = true;
  }
  send(std::move(resp));
}

void RaftImpl::step_leader(Message& m) {
  if (m.type == MessageType::kReadIndex) {
    handle_read_request(ReadRequest{std::move(m.context), m.from});
    return;
  }
  if (m.type != MessageType::kAppResp && m.type != MessageType::kHeartbeatResp) return;
  const auto it = progress_.find(m.from);
  if (it == progress_.end()) return;
  it->second.recent_active = true;
  if (m.type == MessageType::kAppResp) {
    handle_append_response(m, it->second);
  } else {
    handle_heartbeat_response(m, it->second);
  }
}

void RaftImpl::step_candidate(Message& m) {
  switch (m.type) {
    case MessageType::kApp:
    case MessageType::kHeartbeat:
    case MessageType::kSnap:
      become_follower(m.term, m.from);  // someone won this term
      step_follower(m);
      return;
    case MessageType::kVoteResp:
    case MessageType::kPreVoteResp: {
      const bool mine = (m.type == MessageType::kVoteResp) == (role_ == Role::kCandidate);
      if (!mine) return;
      votes_.emplace(m.from, !m.reject);
      record_vote_result(tally(conf_.voters, votes_));
      return;
    }
    default:
      return;
  }
}

void RaftImpl::step_follower(Message& m) {
  switch (m.type) {
    case MessageType::kApp:
    case MessageType::kHeartbeat:
    case MessageType::kSnap:
      election_elapsed_ = 0;
      if (lead_ != m.from) {
        fail_forwarded_reads();
        lead_ = m.from;
      }
      if (m.type == MessageType::kApp) {
        handle_append(m);
      } else if (m.type == MessageType::kHeartbeat) {
        handle_heartbeat(m);
      } else {
        handle_snapshot(m);
      }
      return;
    case MessageType::kTimeoutNow:
      hup(true);
      return;
    case MessageType::kReadIndex: {
      Message resp = make(MessageType::kReadIndexResp, m.from);
      resp.reject = true;  // we do not lead; the asker fails the read and retries elsewhere
      resp.context = std::move(m.context);
      send(std::move(resp));
      return;
    }
    case MessageType::kReadIndexResp:
      receive_read_answer(m);
      return;
    default:
      return;
  }
}

void RaftImpl::handle_append(Message& m) {
  Message resp = make(MessageType::kAppResp, m.from);
  if (lacks_configuration()) {
    // A node joining with an empty configuration can not know the membership the log starts
    // with: it refuses the log at its start, and the leader answers with a snapshot.
    resp.index = m.index;
    resp.reject = true;
    resp.reject_hint = log_.last_index();
    resp.log_term = 0;
  } else if (m.index < log_.committed()) {
    resp.index = log_.committed();  // everything up to our commit matches any leader's log
  } else if (const std::optional<Index> last_new =
                 log_.maybe_append(m.index, m.log_term, m.commit, std::move(m.entries))) {
    resp.index = *last_new;
    if (const std::optional<Index> cut = log_.take_truncation()) drop_unsent_acks_from(*cut);
    if (m.commit_only) return;
  } else {
    const auto [hint_index, hint_term] =
        log_.find_conflict_by_term(std::min(m.index, log_.last_index()), m.log_term);
    resp.index = m.index;
    resp.reject = true;
    resp.reject_hint = hint_index;
    resp.log_term = hint_term;
  }
  send(std::move(resp));
}

void RaftImpl::handle_heartbeat(const Message& m) {
  // The leader sends min(our match, its commit), so this never commits beyond what we match.
  log_.commit_to(std::min(m.commit, log_.last_index()));
  Message resp = make(MessageType::kHeartbeatResp, m.from);
  resp.context = m.context;
  send(std::move(resp));
}

void RaftImpl::handle_snapshot(const Message& m) {
  const SnapshotMeta& s = m.snapshot;
  Message resp = make(MessageType::kAppResp, m.from);
  const bool joining = lacks_configuration() && s.index >= log_.committed();
  if (s.index <= log_.committed() && !joining) {
    resp.index = log_.committed();
  } else if (!joining && log_.match_term(s.index, s.term)) {
    // Our log already holds the snapshot point: keep the suffix and only commit.
    log_.commit_to(s.index);
    resp.index = log_.committed();
  } else {
    if (!durable_start_) durable_start_ = log_.snapshot();
    log_.restore(s);
    conf_ = s.conf;
    conf_history_.clear();
    stale_conf_applies_ += conf_to_apply_.size();
    conf_to_apply_.clear();
    pending_restore_ = s;
    if (const std::optional<Index> cut = log_.take_truncation()) drop_unsent_acks_from(*cut);
    resp.index = log_.last_index();
  }
  send(std::move(resp));
}

void RaftImpl::handle_append_response(const Message& m, Progress& pr) {
  if (m.index > log_.last_index()) return;  // not an answer to anything we sent
  if (m.reject) {
    Index hint = m.reject_hint;
    if (m.log_term > 0) hint = log_.find_conflict_by_term(m.reject_hint, m.log_term).first;
    if (pr.maybe_decr_to(m.index, hint) && pr.state == ProgressState::kReplicate) pr.become_probe();
    // Refusing our snapshot point itself (a joining node with no configuration, whose log holds
    // only index 0) can not be fixed by going further back: it needs the snapshot.
    if (m.index == log_.snapshot().index && pr.state == ProgressState::kProbe) send_snapshot(m.from, pr);
    return;
  }
  if (!pr.maybe_update(m.index) && !(pr.match == m.index && pr.state != ProgressState::kReplicate)) return;
  switch (pr.state) {
    case ProgressState::kProbe:
      pr.become_replicate();
      break;
    case ProgressState::kSnapshot:
      if (pr.match + 1 >= log_.first_index()) pr.become_replicate();
      break;
    case ProgressState::kReplicate:
      pr.inflights.free_le(m.index);
      break;
  }
  maybe_commit();
  if (m.from == transferee_ && pr.match == log_.last_index()) send_timeout_now(m.from);
}

void RaftImpl::handle_heartbeat_response(const Message& m, Progress& pr) {
  pr.probe_sent = false;  // it is alive: probing may go on
  if (pr.state == ProgressState::kReplicate && pr.inflights.full()) pr.inflights.free_first_one();
  if (pr.match < log_.last_index()) pr.resync = true;
  if (!m.context.empty()) answer_reads(read_only_.ack(m.context, m.from, conf_.voters));
}

// ---- reads -----------------------------------------------------------------------------------

void RaftImpl::read_index(std::string context) {
  if (role_ == Role::kLeader) {
    handle_read_request(ReadRequest{std::move(context), kNoNode});
  } else if (role_ == Role::kFollower && lead_ != kNoNode) {
    Message m = make(MessageType::kReadIndex, lead_);
    m.context = context;
    send(std::move(m));
    forwarded_reads_.push_back(ForwardedRead{std::move(context), ticks_});
  } else {
    failed_reads_.push_back(std::move(context));
  }
}

void RaftImpl::handle_read_request(ReadRequest request) {
  // Until an entry of our term is committed we may not know the latest commit index; a removed
  // leader serves no reads.
  if (!committed_in_term() || leaving_) {
    fail_read(request);
    return;
  }
  // A forwarded request is its sender's acknowledgement, as good as a heartbeat answer: it
  // carries our term and was sent after the reads it asks for had arrived there, so until then
  // the sender had voted for no later leader; nor have we, leading this term now. When the two of
  // us are a majority (a voter forwarding in a 3-node cluster), no later leader can have
  // acknowledged a write before those reads arrived, and our commit index serves them without a
  // heartbeat round. (It covers the sender's reads only, so it is never counted for a round.)
  const NodeId self = cfg_.id;
  if (has_quorum(conf_.voters, [&](NodeId v) { return v == self || v == request.from; })) {
    std::vector<ConfirmedRead> now;
    now.push_back(ConfirmedRead{log_.committed(), std::move(request)});
    answer_reads(std::move(now));
    return;
  }
  read_only_.add(std::move(request));  // the round starts in ready(), shared by all waiting
}

void RaftImpl::answer_reads(std::vector<ConfirmedRead> reads) {
  for (ConfirmedRead& r : reads) {
    if (r.request.from == kNoNode) {
      read_states_.push_back(ReadState{r.index, std::move(r.request.context)});
    } else {
      Message m = make(MessageType::kReadIndexResp, r.request.from);
      m.index = r.index;
      m.context = std::move(r.request.context);
      send(std::move(m));
    }
  }
}

void RaftImpl::fail_read(const ReadRequest& request) {
  if (request.from == kNoNode) {
    failed_reads_.push_back(request.context);
  } else {
    Message m = make(MessageType::kReadIndexResp, request.from);
    m.reject = true;
    m.context = request.context;
    send(std::move(m));
  }
}

void RaftImpl::fail_leader_reads() {
  for (const ReadRequest& r : read_only_.take_all()) fail_read(r);
}

void RaftImpl::fail_forwarded_reads() {
  for (ForwardedRead& r : forwarded_reads_) failed_reads_.push_back(std::move(r.context));
  forwarded_reads_.clear();
}

void RaftImpl::receive_read_answer(const Message& m) {
  if (m.from != lead_) return;
  const auto it = std::find_if(forwarded_reads_.begin(), forwarded_reads_.end(),
                               [&](const ForwardedRead& r) { return r.context == m.context; });
  if (it == forwarded_reads_.end()) return;  // a duplicate, or already failed
  if (m.reject) {
    failed_reads_.push_back(std::move(it->context));
  } else {
    read_states_.push_back(ReadState{m.index, std::move(it->context)});
  }
  forwarded_reads_.erase(it);
}

// ---- leader replication ----------------------------------------------------------------------

Progress& RaftImpl::self_progress() {
  const auto it = progress_.find(cfg_.id);
  assert(it != progress_.end());
  return it->second;
}

void RaftImpl::sync_progress_with_conf() {
  const auto add = [&](NodeId id, bool voter) {
    auto [it, inserted] =
        progress_.try_emplace(id, log_.last_index() + 1, cfg_.max_inflight_msgs, voter);
    it->second.voter = voter;
    if (inserted) it->second.recent_active = true;
  };
  for (NodeId v : conf_.voters) add(v, true);
  for (NodeId l : conf_.learners) add(l, false);
  // A removed leader keeps its own entry while it hands over; it no longer counts (not a voter).
  std::erase_if(progress_, [&](const auto& kv) { return kv.first != cfg_.id && !is_member(conf_, kv.first); });
}

bool RaftImpl::wants_append(NodeId to, const Progress& pr) const {
  if (to == cfg_.id || pr.paused()) return false;
  if (pr.next > log_.last_index() && pr.sent_commit >= log_.committed() && !pr.resync) return false;
  if (!log_.term_at(pr.next - 1)) return pr.recent_active;  // needs a snapshot
  return true;
}

bool RaftImpl::send_append(NodeId to, Progress& pr) {
  if (!wants_append(to, pr)) return false;
  const std::optional<Term> prev_term = log_.term_at(pr.next - 1);
  if (!prev_term) {
    send_snapshot(to, pr);
    return false;
  }
  Message m = make(MessageType::kApp, to);
  m.index = pr.next - 1;
  m.log_term = *prev_term;
  m.commit = log_.committed();
  if (pr.next <= log_.last_index()) {
    m.entries = log_.slice(pr.next, log_.last_index() + 1, cfg_.max_msg_bytes);
  }
  const std::size_t count = m.entries.size();
  m.commit_only = count == 0 && pr.state == ProgressState::kReplicate && !pr.resync;
  pr.sent_entries(count, count > 0 ? m.entries.back().index : m.index);
  pr.sent_commit = m.commit;
  pr.resync = false;
  send(std::move(m));
  return count > 0 && pr.state == ProgressState::kReplicate;
}

void RaftImpl::send_snapshot(NodeId to, Progress& pr) {
  assert(pr.recent_active);
  Message m = make(MessageType::kSnap, to);
  m.snapshot = log_.snapshot();
  pr.become_snapshot(m.snapshot.index);
  send(std::move(m));
}

void RaftImpl::broadcast_heartbeat() {
  const std::string context = read_only_.latest_context();
  for (const auto& [id, pr] : progress_) {
    if (id == cfg_.id) continue;
    Message m = make(MessageType::kHeartbeat, id);
    m.commit = std::min(pr.match, log_.committed());
    m.context = context;
    send(std::move(m));
  }
}

bool RaftImpl::maybe_commit() {
  match_scratch_.clear();
  for (NodeId v : conf_.voters) {
    const auto it = progress_.find(v);
    match_scratch_.push_back(it == progress_.end() ? 0 : it->second.match);
  }
  const Index index = majority_index(match_scratch_);
  // Figure 8: only an entry of the current term is committed by counting replicas.
  if (index <= log_.committed() || log_.term_at(index) != term_) return false;
  log_.commit_to(index);
  return true;
}

bool RaftImpl::committed_in_term() const { return log_.term_at(log_.committed()) == term_; }

bool RaftImpl::quorum_active() const {
  return has_quorum(conf_.voters, [&](NodeId id) {
    if (id == cfg_.id) return true;
    const auto it = progress_.find(id);
    return it != progress_.end() && it->second.recent_active;
  });
}

void RaftImpl::send_timeout_now(NodeId to) { send(make(MessageType::kTimeoutNow, to)); }

// ---- client requests -------------------------------------------------------------------------

ProposeResult RaftImpl::propose(std::string data) {
  if (role_ != Role::kLeader || leaving_) return {Error::kNotLeader};
  if (transferee_ != kNoNode) return {Error::kTransferInProgress};
  const Index index = log_.append(term_, EntryType::kNormal, std::move(data));
  return {Error::kOk, index, term_};
}

ProposeResult RaftImpl::propose_conf_change(const ConfChange& cc) {
  if (role_ != Role::kLeader || leaving_) return {Error::kNotLeader};
  if (transferee_ != kNoNode) return {Error::kTransferInProgress};
  if (!committed_in_term()) return {Error::kNotCommittedInTerm};
  if (pending_conf_index_ > log_.applied() || !conf_to_apply_.empty()) return {Error::kConfChangePending};
  if (const Error e = validate_conf_change(conf_, cc); e != Error::kOk) return {e};
  // A configuration takes effect when applied, and the other voter applies this removal only once
  // it learns that it committed. Of two voters, the removed leader is half of the old majority:
  // shut down before telling the other, it would leave that voter unable ever to win an
  // election. Removed by the other voter as leader instead, the survivor knows at once.
  if (cc.type == ConfChangeType::kRemoveNode && cc.node == cfg_.id && conf_.voters.size() == 2) {
    return {Error::kTransferFirst};
  }
  const Index index = log_.append(term_, EntryType::kConfChange, encode_conf_change(cc));
  pending_conf_index_ = index;
  return {Error::kOk, index, term_};
}

ConfState RaftImpl::apply_conf_change(const ConfChange& cc) {
  if (stale_conf_applies_ > 0) {
    --stale_conf_applies_;  // handed out before a snapshot replaced the configuration
    return conf_;
  }
  Index at = log_.applied();
  if (!conf_to_apply_.empty()) {
    at = conf_to_apply_.front();
    conf_to_apply_.pop_front();
  }
  if (validate_conf_change(conf_, cc) != Error::kOk) return conf_;
  conf_ = apply_to(conf_, cc);
  conf_history_.emplace_back(at, conf_);
  if (role_ != Role::kLeader) return conf_;
  if (!promotable()) {
    leaving_ = true;  // a removed leader hands over (see hand_over_after_removal)
    sync_progress_with_conf();
    hand_over_after_removal();
    return conf_;
  }
  sync_progress_with_conf();
  if (transferee_ != kNoNode && !is_voter(conf_, transferee_)) transferee_ = kNoNode;
  maybe_commit();  // a smaller majority may already hold more
  answer_reads(read_only_.recheck(conf_.voters));
  return conf_;
}

void RaftImpl::hand_over_after_removal() {
  // Until they learn that the removal committed, the others still count this node in their
  // majority, and none of them campaigns while it hears from us. So a removed leader stays on
  // as a lame duck, taking no proposals or reads: every heartbeat round tells the others the
  // commit index and asks the most caught-up remaining voter to campaign (TimeoutNow), until a
  // higher term replaces us or check-quorum finds the remaining voters gone.
  broadcast_heartbeat();
  NodeId successor = kNoNode;
  Index best = 0;
  for (const auto& [id, pr] : progress_) {
    if (id != cfg_.id && is_voter(conf_, id) && pr.match > best) {
      best = pr.match;
      successor = id;
    }
  }
  if (successor == kNoNode) return;
  transferee_ = successor;  // handle_append_response sends TimeoutNow once it has caught up
  if (best == log_.last_index()) send_timeout_now(successor);
}

Error RaftImpl::transfer_leader(NodeId to) {
  if (role_ != Role::kLeader || leaving_) return Error::kNotLeader;
  if (!is_voter(conf_, to)) return Error::kUnknownNode;
  if (to == cfg_.id || to == transferee_) return Error::kOk;
  if (transferee_ != kNoNode) return Error::kTransferInProgress;
  transferee_ = to;
  election_elapsed_ = 0;  // the transfer has one election timeout to finish
  const auto it = progress_.find(to);
  assert(it != progress_.end());
  if (it->second.match == log_.last_index()) send_timeout_now(to);
  return Error::kOk;
}

SnapshotMeta RaftImpl::compact(Index index) {
  // A received snapshot the caller has not installed yet: its durable log starts where it did.
  if (durable_start_) return *durable_start_;
  index = std::min({index, log_.applied(), log_.stable()});
  // The membership at `index` is known only once every conf change up to it was applied.
  if (!conf_to_apply_.empty()) index = std::min(index, conf_to_apply_.front() - 1);
  if (index <= log_.snapshot().index) return log_.snapshot();
  ConfState conf = log_.snapshot().conf;
  auto it = conf_history_.begin();
  for (; it != conf_history_.end() && it->first <= index; ++it) conf = it->second;
  conf_history_.erase(conf_history_.begin(), it);
  log_.compact(index, conf);
  return log_.snapshot();
}

void RaftImpl::report_snapshot(NodeId to, bool ok) {
  if (role_ != Role::kLeader) return;
  const auto it = progress_.find(to);
  if (it == progress_.end() || it->second.state != ProgressState::kSnapshot) return;
  Progress& pr = it->second;
  if (!ok) pr.pending_snapshot = 0;
  pr.become_probe();
  pr.probe_sent = true;  // wait for the follower's answer (or a heartbeat reply) before probing
}

// ---- Ready -----------------------------------------------------------------------------------

bool RaftImpl::has_ready() const {
  if (ready_outstanding_) return false;
  if (SoftState{lead_, role_} != prev_soft_) return true;
  if (HardState{term_, vote_, log_.committed()} != prev_hard_) return true;
  if (log_.has_unstable() || log_.has_unapplied() || pending_restore_) return true;
  if (!msgs_now_.empty() || !msgs_after_persist_.empty()) return true;
  if (!read_states_.empty() || !failed_reads_.empty()) return true;
  if (role_ != Role::kLeader) return false;
  if (read_only_.ready_for_round()) return true;
  return std::any_of(progress_.begin(), progress_.end(),
                     [&](const auto& kv) { return wants_append(kv.first, kv.second); });
}

Ready RaftImpl::ready() {
  assert(!ready_outstanding_ && "advance() the previous Ready first");
  if (role_ == Role::kLeader) {
    if (read_only_.ready_for_round()) {
      const std::string context = read_only_.start_round(log_.committed(), cfg_.id);
      for (NodeId v : conf_.voters) {
        if (v == cfg_.id) continue;
        Message m = make(MessageType::kHeartbeat, v);
        m.commit = std::min(progress_.at(v).match, log_.committed());
        m.context = context;
        send(std::move(m));
      }
    }
    for (auto& [id, pr] : progress_) {
      while (send_append(id, pr)) {
      }
    }
  }
  Ready rd;
  rd.soft = SoftState{lead_, role_};
  prev_soft_ = rd.soft;
  const HardState hard{term_, vote_, log_.committed()};
  if (hard != prev_hard_) {
    rd.hard_state = hard;
    rd.must_sync = hard.term != prev_hard_.term || hard.vote != prev_hard_.vote;
    prev_hard_ = hard;
  }
  rd.entries = log_.take_unstable();
  rd.snapshot = std::move(pending_restore_);
  pending_restore_.reset();
  rd.must_sync = rd.must_sync || !rd.entries.empty() || rd.snapshot.has_value();
  rd.send_now = std::move(msgs_now_);
  msgs_now_.clear();
  rd.send_after_persist = std::move(msgs_after_persist_);
  msgs_after_persist_.clear();
  rd.committed = log_.take_committed();
  for (const Entry& e : rd.committed) {
    if (e.type == EntryType::kConfChange) conf_to_apply_.push_back(e.index);
  }
  rd.read_states = std::move(read_states_);
  read_states_.clear();
  rd.failed_reads = std::move(failed_reads_);
  failed_reads_.clear();
  ready_outstanding_ = true;
  return rd;
}

void RaftImpl::advance(const Ready& rd) {
  assert(ready_outstanding_ && "advance() without ready()");
  ready_outstanding_ = false;
  if (rd.hard_state) durable_term_ = rd.hard_state->term;
  if (rd.snapshot) {
    durable_start_.reset();
    if (pending_restore_) durable_start_ = *rd.snapshot;  // yet another one arrived meanwhile
  }
  log_.stable_to_handed();
  if (role_ == Role::kLeader) {
    // Only now does the leader's own copy count: it is durable.
    self_progress().maybe_update(log_.stable());
    maybe_commit();
  }
}

// ---- inspection ------------------------------------------------------------------------------

Status RaftImpl::status() const {
  Status s;
  s.id = cfg_.id;
  s.role = role_;
  s.leader = lead_;
  s.hard = HardState{term_, vote_, log_.committed()};
  s.first_index = log_.first_index();
  s.last_index = log_.last_index();
  s.stable_index = log_.stable();
  s.applied = log_.applied();
  s.conf = conf_;
  s.transferee = transferee_;
  for (const auto& [id, pr] : progress_) {
    if (id == cfg_.id) continue;
    s.peers.push_back(PeerStatus{id, pr.voter, pr.match, pr.next, pr.state, pr.recent_active,
                                 pr.inflights.count()});
  }
  return s;
}

std::vector<Entry> RaftImpl::entries(Index lo, Index hi) const {
  lo = std::max(lo, log_.first_index());
  hi = std::min(hi, log_.last_index() + 1);
  return log_.slice(lo, hi, std::numeric_limits<std::size_t>::max());
}

}  // namespace taskraft::raft

// The Raft role state machine behind the Raft facade (raft.h): follower, pre-candidate,
// candidate and leader, the rules for moving between them, and what each does with a tick, a
// message or a client request. Everything it wants done is queued and handed out by ready().
//
// Guarantees (asserted where they can be checked locally):
//   - at most one vote per term, and a vote only for a log at least as up to date as ours;
//   - term and vote leave in a Ready's hard_state before any message that depends on them, and
//     every message of a non-leader goes in send_after_persist; only a leader whose term is
//     already durable sends in send_now;
//   - a leader never overwrites or deletes its own entries and commits only by counting
//     replicas of an entry of its own term; its own replica counts only once advance()d;
//   - the commit index never moves back; committed entries are handed out once, in order;
//   - AppendEntries are built in ready(), so every proposal since the previous Ready travels in
//     the same message to each follower, within the follower's flow-control window.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "raft/log.h"
#include "raft/progress.h"
#include "raft/quorum.h"
#include "raft/raft.h"
#include "raft/rand.h"
#include "raft/read_only.h"

namespace taskraft::raft {

class RaftImpl {
 public:
  RaftImpl(const Config& config, const InitialState& initial);

  void tick();
  void step(Message&& m);
  ProposeResult propose(std::string data);
  void read_index(std::string context);
  Error transfer_leader(NodeId to);
  ProposeResult propose_conf_change(const ConfChange& cc);
  ConfState apply_conf_change(const ConfChange& cc);
  SnapshotMeta compact(Index index);
  void report_snapshot(NodeId to, bool ok);
  void campaign() { hup(false); }

  bool has_ready() const;
  Ready ready();
  void advance(const Ready& rd);

  Status status() const;
  Term term() const { return term_; }
  Index commit_index() const { return log_.committed(); }
  Index last_index() const { return log_.last_index(); }
  std::optional<Term> term_at(Index index) const { return log_.term_at(index); }
  std::vector<Entry> entries(Index lo, Index hi) const;

 private:
  enum class CampaignKind : std::uint8_t { kPreVote, kVote };

  // Roles.
  void become_follower(Term term, NodeId leader);
  void become_pre_candidate();
  void become_candidate();
  void become_leader();
  void reset_timers();
  bool promotable() const;
  bool lacks_configuration() const;
  void drop_unsent_acks_from(Index cut);
  void hand_over_after_removal();  // while leaving_
  bool has_unapplied_conf_changes() const;
  void hup(bool transfer);
  void start_campaign(CampaignKind kind, bool transfer);
  void record_vote_result(VoteResult result);

  // Messages.
  void send(Message m);
  bool well_formed(const Message& m) const;
  void handle_vote_request(const Message& m);
  void step_leader(Message& m);
  void step_candidate(Message& m);
  void step_follower(Message& m);
  void handle_append(Message& m);
  void handle_heartbeat(const Message& m);
  void handle_snapshot(const Message& m);
  void handle_append_response(const Message& m, Progress& pr);
  void handle_heartbeat_response(const Message& m, Progress& pr);
  void handle_read_request(ReadRequest request);
  void answer_reads(std::vector<ConfirmedRead> reads);
  void fail_read(const ReadRequest& request);
  void fail_leader_reads();
  void fail_forwarded_reads();
  void receive_read_answer(const Message& m);

  // Leader replication.
  bool wants_append(NodeId to, const Progress& pr) const;
  bool send_append(NodeId to, Progress& pr);
  void send_snapshot(NodeId to, Progress& pr);
  void broadcast_heartbeat();
  bool maybe_commit();
  bool committed_in_term() const;
  bool quorum_active() const;
  void send_timeout_now(NodeId to);
  void sync_progress_with_conf();
  Progress& self_progress();

  Config cfg_;
  SplitMix64 rng_;
  Log log_;

  Term term_ = 0;
  NodeId vote_ = kNoNode;
  NodeId lead_ = kNoNode;
  Role role_ = Role::kFollower;

  // Membership: the applied configuration, the configurations applied since the snapshot point
  // (for the membership at a compaction point), and the conf-change entries handed out for
  // applying whose apply_conf_change() has not come yet.
  ConfState conf_;
  std::vector<std::pair<Index, ConfState>> conf_history_;
  std::deque<Index> conf_to_apply_;
  std::size_t stale_conf_applies_ = 0;  // handed out before a snapshot replaced them
  Index pending_conf_index_ = 0;        // leader: the last index that may hold a conf change

  std::map<NodeId, Progress> progress_;  // leader: every member, itself included
  std::map<NodeId, bool> votes_;         // (pre-)candidate: the answers so far
  NodeId transferee_ = kNoNode;          // leader: the target of a leadership transfer
  bool leaving_ = false;                 // leader: it applied its own removal and hands over

  int election_elapsed_ = 0;
  int heartbeat_elapsed_ = 0;
  int randomized_timeout_ = 0;
  std::uint64_t ticks_ = 0;

  ReadOnly read_only_;
  struct ForwardedRead {
    std::string context;
    std::uint64_t sent_at_tick = 0;
  };
  std::deque<ForwardedRead> forwarded_reads_;  // follower: sent to the leader, unanswered

  // What the next Ready hands out.
  std::vector<Message> msgs_now_;
  std::vector<Message> msgs_after_persist_;
  std::vector<ReadState> read_states_;
  std::vector<std::string> failed_reads_;
  std::optional<SnapshotMeta> pending_restore_;
  // While a received snapshot is restored in the core but not yet installed by the caller
  // (pending or in a Ready not advanced): the point the caller's durable log starts at.
  std::optional<SnapshotMeta> durable_start_;
  HardState prev_hard_;
  SoftState prev_soft_;
  Term durable_term_ = 0;       // the term of the last hard state known durable
  bool ready_outstanding_ = false;
  std::vector<Index> match_scratch_;
};

}  // namespace taskraft::raft

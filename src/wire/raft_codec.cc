// Implements raft_codec.h on the protobuf classes generated from proto/raft.proto.
#include "wire/raft_codec.h"

#include "raft.pb.h"
#include "wire/decode_budget.h"

namespace taskraft::wire {
namespace {

namespace pb = taskraft::raftpb;

void to_pb(const raft::Entry& e, pb::Entry* out) {
  out->set_term(e.term);
  out->set_index(e.index);
  out->set_type(e.type == raft::EntryType::kConfChange ? pb::ENTRY_CONF_CHANGE : pb::ENTRY_NORMAL);
  out->set_data(e.data);
}

raft::Entry from_pb(const pb::Entry& e) {
  return raft::Entry{e.term(), e.index(),
                     e.type() == pb::ENTRY_CONF_CHANGE ? raft::EntryType::kConfChange
                                                       : raft::EntryType::kNormal,
                     e.data()};
}

void to_pb(const raft::SnapshotMeta& m, pb::SnapshotMeta* out) {
  out->set_index(m.index);
  out->set_term(m.term);
  for (auto v : m.conf.voters) out->mutable_conf()->add_voters(v);
  for (auto l : m.conf.learners) out->mutable_conf()->add_learners(l);
}

raft::SnapshotMeta from_pb(const pb::SnapshotMeta& m) {
  raft::SnapshotMeta out{m.index(), m.term(), {}};
  out.conf.voters.assign(m.conf().voters().begin(), m.conf().voters().end());
  out.conf.learners.assign(m.conf().learners().begin(), m.conf().learners().end());
  return out;
}

template <typename Pb>
std::optional<Pb> parse(std::string_view bytes) {
  Pb msg;
  if (!msg.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  return msg;
}

}  // namespace

std::string encode_entry(const raft::Entry& e) {
  pb::Entry p;
  to_pb(e, &p);
  return p.SerializeAsString();
}

std::optional<raft::Entry> decode_entry(std::string_view bytes) {
  auto p = parse<pb::Entry>(bytes);
  if (!p || (p->type() != pb::ENTRY_NORMAL && p->type() != pb::ENTRY_CONF_CHANGE)) return std::nullopt;
  return from_pb(*p);
}

std::string encode_hard_state(const raft::HardState& hs) {
  pb::HardState p;
  p.set_term(hs.term);
  p.set_vote(hs.vote);
  p.set_commit(hs.commit);
  return p.SerializeAsString();
}

std::optional<raft::HardState> decode_hard_state(std::string_view bytes) {
  auto p = parse<pb::HardState>(bytes);
  if (!p) return std::nullopt;
  return raft::HardState{p->term(), p->vote(), p->commit()};
}

std::string encode_snapshot_meta(const raft::SnapshotMeta& m) {
  pb::SnapshotMeta p;
  to_pb(m, &p);
  return p.SerializeAsString();
}

std::optional<raft::SnapshotMeta> decode_snapshot_meta(std::string_view bytes) {
  auto p = parse<pb::SnapshotMeta>(bytes);
  if (!p) return std::nullopt;
  return from_pb(*p);
}

std::string encode_messages(const std::vector<raft::Message>& msgs) {
  pb::Envelope env;
  env.set_version(pb::FORMAT_VERSION_1);
  for (const auto& m : msgs) {
    auto* p = env.add_messages();
    p->set_type(static_cast<pb::MessageType>(m.type));
    p->set_from(m.from);
    p->set_to(m.to);
    p->set_term(m.term);
    p->set_log_term(m.log_term);
    p->set_index(m.index);
    for (const auto& e : m.entries) to_pb(e, p->add_entries());
    p->set_commit(m.commit);
    p->set_reject(m.reject);
    p->set_reject_hint(m.reject_hint);
    p->set_context(m.context);
    to_pb(m.snapshot, p->mutable_snapshot());
    p->set_transfer(m.transfer);
    p->set_commit_only(m.commit_only);
    p->set_takes_relay(m.takes_relay);
  }
  return env.SerializeAsString();
}

std::optional<std::vector<raft::Message>> decode_messages(std::string_view bytes) {
  const auto cost = decoded_size(bytes);
  if (!cost || *cost > decode_budget(bytes.size())) return std::nullopt;
  auto env = parse<pb::Envelope>(bytes);
  if (!env || env->version() != pb::FORMAT_VERSION_1) return std::nullopt;
  std::vector<raft::Message> out;
  out.reserve(env->messages_size());
  for (const auto& p : env->messages()) {
    if (p.type() < pb::MSG_VOTE || p.type() > pb::MSG_PROP_RESP) return std::nullopt;
    raft::Message m;
    m.type = static_cast<raft::MessageType>(p.type());
    m.from = p.from();
    m.to = p.to();
    m.term = p.term();
    m.log_term = p.log_term();
    m.index = p.index();
    m.entries.reserve(p.entries_size());
    for (const auto& e : p.entries()) {
      if (e.type() != pb::ENTRY_NORMAL && e.type() != pb::ENTRY_CONF_CHANGE) return std::nullopt;
      m.entries.push_back(from_pb(e));
    }
    m.commit = p.commit();
    m.reject = p.reject();
    m.reject_hint = p.reject_hint();
    m.context = p.context();
    m.snapshot = from_pb(p.snapshot());
    m.transfer = p.transfer();
    m.commit_only = p.commit_only();
    m.takes_relay = p.takes_relay();
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace taskraft::wire

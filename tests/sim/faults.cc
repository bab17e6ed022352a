// The fault schedule; see faults.h.
#include "faults.h"

#include <algorithm>

namespace taskraft::sim {

using Kind = FaultAction::Kind;

const char* to_string(FaultMix m) {
  static const char* names[] = {"none", "network", "crashes", "partitions", "membership", "all"};
  return names[static_cast<int>(m)];
}

std::optional<FaultMix> parse_fault_mix(std::string_view s) {
  for (FaultMix m : kFaultMixes) {
    if (s == to_string(m)) return m;
  }
  return std::nullopt;
}

const char* to_string(Kind k) {
  static const char* names[] = {"nothing",     "crash",   "pause",  "partition", "network",
                                "add-learner", "promote", "remove", "transfer",  "compact"};
  return names[static_cast<int>(k)];
}

FaultAction FaultSchedule::next(const ClusterView& view) {
  struct Option {
    int weight;
    FaultAction (FaultSchedule::*make)(const ClusterView&);
  };
  std::vector<Option> options{{1, &FaultSchedule::compact}};
  if (has(FaultMix::kNetwork)) options.push_back({2, &FaultSchedule::network});
  if (has(FaultMix::kCrashes)) {
    options.push_back({2, &FaultSchedule::crash});
    options.push_back({1, &FaultSchedule::pause});
  }
  if (has(FaultMix::kPartitions)) options.push_back({2, &FaultSchedule::partition});
  if (has(FaultMix::kMembership)) options.push_back({3, &FaultSchedule::membership});
  int total = 0;
  for (const auto& o : options) total += o.weight;
  auto draw = static_cast<int>(rng_.below(static_cast<std::uint64_t>(total)));
  for (const auto& o : options) {
    if (draw < o.weight) return (this->*o.make)(view);
    draw -= o.weight;
  }
  return FaultAction{};
}

FaultAction FaultSchedule::crash(const ClusterView& view) {
  FaultAction a;
  if (view.up.empty()) return a;
  a.kind = Kind::kCrash;
  a.node = view.leader != raft::kNoNode && rng_.chance(0.3) ? view.leader : any(view.up);
  if (rng_.chance(0.6)) {
    a.crash_at = static_cast<CrashPoint>(
        rng_.between(1, static_cast<std::int64_t>(CrashPoint::kCount) - 1));
  }
  a.duration = (rng_.chance(0.8) ? rng_.between(1, 20) : rng_.between(20, 100)) * kTickUnits;
  return a;
}

FaultAction FaultSchedule::pause(const ClusterView& view) {
  FaultAction a;
  if (view.up.empty()) return a;
  a.kind = Kind::kPause;
  a.node = view.leader != raft::kNoNode && rng_.chance(0.4) ? view.leader : any(view.up);
  a.duration = rng_.between(1, 30) * kTickUnits;
  return a;
}

FaultAction FaultSchedule::partition(const ClusterView& view) {
  FaultAction a;
  const auto& ids = view.nodes;
  if (ids.size() < 2) return a;
  a.kind = Kind::kPartition;
  a.duration = rng_.between(2, 60) * kTickUnits;
  const raft::NodeId x = view.leader != raft::kNoNode && rng_.chance(0.4) ? view.leader : any(ids);
  switch (rng_.below(5)) {
    case 0:  // one node cut off
      for (auto y : ids) {
        if (y != x) a.cuts.insert(a.cuts.end(), {{x, y}, {y, x}});
      }
      break;
    case 1: {  // two sides
      std::vector<char> side(ids.size());
      const std::size_t k = 1 + rng_.below(ids.size() - 1);
      for (std::size_t i = 0; i < k; ++i) side[i] = true;
      for (std::size_t i = side.size(); i > 1; --i) std::swap(side[i - 1], side[rng_.below(i)]);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        for (std::size_t j = 0; j < ids.size(); ++j) {
          if (side[i] != side[j]) a.cuts.emplace_back(ids[i], ids[j]);
        }
      }
      break;
    }
    case 2:  // one-way: x can not send
      for (auto y : ids) {
        if (y != x) a.cuts.emplace_back(x, y);
      }
      break;
    case 3:  // one-way: x can not receive
      for (auto y : ids) {
        if (y != x) a.cuts.emplace_back(y, x);
      }
      break;
    default:  // a random set of broken directed links
      for (auto from : ids) {
        for (auto to : ids) {
          if (from != to && rng_.chance(0.3)) a.cuts.emplace_back(from, to);
        }
      }
  }
  return a;
}

FaultAction FaultSchedule::network(const ClusterView&) {
  FaultAction a;
  a.kind = Kind::kNetwork;
  a.duration = rng_.between(5, 80) * kTickUnits;
  a.profile.loss = rng_.unit() * 0.35;
  a.profile.duplicate = rng_.unit() * 0.2;
  a.profile.max_delay = rng_.between(400, 3000);
  a.profile.slow = rng_.unit() * 0.2;
  a.profile.slow_delay = rng_.between(1, 10) * kTickUnits;
  return a;
}

FaultAction FaultSchedule::membership(const ClusterView& view) {
  FaultAction a;
  if (view.leader == raft::kNoNode) return a;
  const raft::Status& st = view.leader_status;
  const auto& voters = st.conf.voters;
  const auto& learners = st.conf.learners;
  std::vector<raft::NodeId> caught_up, removable, transferable;
  for (const auto& p : st.peers) {
    if (!p.voter && p.match + 3 >= st.last_index) caught_up.push_back(p.id);
  }
  removable = learners;
  if (voters.size() > std::max<std::size_t>(1, view.initial_voters - 1))
    removable.insert(removable.end(), voters.begin(), voters.end());
  for (auto v : voters) {
    if (v != view.leader) transferable.push_back(v);
  }
  std::vector<Kind> kinds;
  if (voters.size() + learners.size() < view.initial_voters + 2 && view.nodes.size() < 8)
    kinds.push_back(Kind::kAddLearner);
  if (!caught_up.empty()) kinds.insert(kinds.end(), 2, Kind::kPromote);
  if (!removable.empty()) kinds.push_back(Kind::kRemove);
  if (!transferable.empty()) kinds.push_back(Kind::kTransfer);
  if (kinds.empty()) return a;
  a.kind = kinds[rng_.below(kinds.size())];
  switch (a.kind) {
    case Kind::kPromote: a.node = any(caught_up); break;
    case Kind::kRemove: a.node = any(removable); break;
    case Kind::kTransfer: a.node = any(transferable); break;
    default: break;  // kAddLearner: the simulation picks a fresh id
  }
  return a;
}

FaultAction FaultSchedule::compact(const ClusterView& view) {
  FaultAction a;
  if (view.up.empty()) return a;
  a.kind = Kind::kCompact;
  a.node = any(view.up);
  a.compact_lag = static_cast<raft::Index>(rng_.between(0, 30));
  return a;
}

}  // namespace taskraft::sim

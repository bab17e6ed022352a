// Test logs of task commands (see test_log.h).
#include "test_log.h"

#include <algorithm>
#include <cassert>
#include <functional>
#include <random>

#include <boost/json.hpp>

namespace taskraft::store::testing {

pb::Command command(std::int64_t at_ms, const std::string& actor) {
  pb::Command c;
  c.set_version(pb::FORMAT_VERSION_1);
  c.set_at_ms(at_ms);
  c.set_actor(actor);
  return c;
}

pb::Command create_task(const std::string& title, std::int64_t at_ms, const std::string& actor) {
  pb::Command c = command(at_ms, actor);
  c.mutable_create_task()->set_title(title);
  return c;
}

pb::Command update_task(std::uint64_t id, std::int64_t at_ms, const std::string& actor) {
  pb::Command c = command(at_ms, actor);
  c.mutable_update_task()->set_id(id);
  return c;
}

pb::Command delete_task(std::uint64_t id, std::int64_t at_ms, const std::string& actor) {
  pb::Command c = command(at_ms, actor);
  c.mutable_delete_task()->set_id(id);
  return c;
}

pb::Command create_user(const std::string& username, pb::UserRole role, std::int64_t at_ms) {
  pb::Command c = command(at_ms, "admin");
  auto* u = c.mutable_create_user();
  u->set_username(username);
  u->set_password_hash("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
  u->set_role(role);
  return c;
}

pb::Command& with_key(pb::Command& c, const std::string& key, const std::string& request_hash) {
  c.set_idempotency_key(key);
  c.set_request_hash(request_hash);
  return c;
}

const raft::Entry& Log::add(const pb::Command& c) { return add_raw(c.SerializeAsString()); }

const raft::Entry& Log::add_raw(std::string data) {
  entries_.push_back({term_, entries_.size() + 1, raft::EntryType::kNormal, std::move(data)});
  return entries_.back();
}

const raft::Entry& Log::noop() { return add_raw(""); }

const raft::Entry& Log::add_conf(const Membership& m) {
  entries_.push_back({term_, entries_.size() + 1, raft::EntryType::kConfChange, "conf change"});
  confs_[entries_.size()] = m;
  return entries_.back();
}

std::span<const raft::Entry> Log::range(raft::Index from, raft::Index to) const {
  assert(from >= 1 && from <= to + 1 && to <= entries_.size());
  return std::span(entries_).subspan(from - 1, to + 1 - from);
}

boost::json::value json(const Outcome& o) { return boost::json::parse(o.body); }

Log mixed_log(std::size_t n, std::uint32_t seed) {
  static const char* const kWords[] = {"ship", "release", "database", "fix", "write", "docs", "review",
                                       "deploy", "bug", "über", "größe", "the", "db", "api"};
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t k) { return static_cast<std::size_t>(rng() % k); };
  auto words = [&](std::size_t count) {
    std::string s;
    for (std::size_t i = 0; i < count; ++i) s += (i ? " " : "") + std::string(kWords[pick(std::size(kWords))]);
    return s;
  };
  Log log;
  std::int64_t now = kT0;
  std::uint64_t creates = 0;
  std::vector<pb::Command> keyed;
  std::vector<raft::NodeId> voters = {1, 2, 3};
  while (log.last() < n) {
    now += pick(5) == 0 ? -static_cast<std::int64_t>(pick(3000)) : static_cast<std::int64_t>(pick(5000));
    std::string actor = pick(3) ? "alice" : "bob";
    std::size_t dice = pick(100);
    std::uint64_t target = 1 + pick(creates + 1);
    pb::Command c;
    if (dice < 35) {
      c = create_task(words(1 + pick(4)), now, actor);
      auto* m = c.mutable_create_task();
      m->set_description(words(pick(8)));
      m->set_priority(static_cast<pb::TaskPriority>(pick(5)));
      if (pick(2)) m->set_due_at_ms(kT0 + static_cast<std::int64_t>(pick(100)) * 3600000);
      for (std::size_t t = pick(3); t > 0; --t) m->add_tags(kWords[pick(5)]);
      if (pick(2)) m->set_assignee(pick(2) ? "alice" : "bob");
      if (pick(3) == 0) m->set_project("core");
      ++creates;
    } else if (dice < 60) {
      c = update_task(target, now, actor);
      auto* m = c.mutable_update_task();
      if (pick(2)) m->set_title(words(2));
      if (pick(2)) m->set_status(static_cast<pb::TaskStatus>(1 + pick(3)));
      if (pick(3) == 0) m->mutable_assignee();
      if (pick(3) == 0) m->mutable_tags()->add_tags(kWords[pick(5)]);
      if (pick(4) == 0) m->set_if_match(1 + pick(3));
      if (pick(10) == 0) m->set_title("");  // breaks a rule: 422
    } else if (dice < 68) {
      c = delete_task(target, now, actor);
    } else if (dice < 78 && !keyed.empty()) {
      c = keyed[pick(keyed.size())];  // a client retry, sometimes with another body
      c.set_at_ms(now);
      if (pick(4) == 0) c.set_request_hash("another body");
    } else if (dice < 83) {
      c = create_user(pick(2) ? "user" + std::to_string(pick(5)) : "admin", pb::USER_ROLE_MEMBER, now);
    } else if (dice < 88) {
      log.noop();
      continue;
    } else if (dice < 90) {
      log.add_raw(" garbage");
      continue;
    } else if (dice < 93) {
      raft::NodeId id = 4 + pick(2);
      if (std::find(voters.begin(), voters.end(), id) == voters.end()) {
        voters.push_back(id);
      } else if (voters.size() > 3) {
        voters.erase(std::find(voters.begin(), voters.end(), id));
      }
      std::sort(voters.begin(), voters.end());
      log.add_conf(Membership{{voters, {}}, "members of " + std::to_string(log.last() + 1)});
      continue;
    } else if (dice < 95) {
      log.set_term(log.term() + 1);
      continue;
    } else {
      c = create_task(words(2), now, actor);
      ++creates;
    }
    if (dice < 68 && pick(3) == 0) {
      with_key(c, "key-" + std::to_string(pick(20)), std::to_string(std::hash<std::string>{}(c.SerializeAsString())));
      keyed.push_back(c);
    }
    log.add(c);
  }
  return log;
}

}  // namespace taskraft::store::testing

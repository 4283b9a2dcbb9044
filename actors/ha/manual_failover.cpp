#include "actors/ha/manual_failover.hpp"

#include <algorithm>
#include <limits>

#include "actors/ha/decide_parts.hpp"
#include "messages/iso_time.hpp"

namespace praetor::ha {
namespace {

const peer_status* answer_of(const ha_inputs& in, const std::string& name) {
  for (const auto& p : in.peers.peers)
    if (p.name == name) return &p;
  return nullptr;
}

// Patroni's failover_limitation(): why a member may not take over, "" when it may.
std::string limitation(const peer_status* p) {
  if (!p || !p->reachable) return "not reachable";
  if (p->nofailover) return "not allowed to promote";
  if (p->watchdog_failed) return "not watchdog capable";
  return "";
}

// Patroni's is_failover_possible: some candidate answers, may promote, and is within
// maximum_lag_on_failover of `reference`. Returns the first good one's name, else "" and why
// each was rejected in `rejected`.
std::string good_candidate(const ha_inputs& in, const std::vector<member_record>& candidates,
                           lsn reference, std::string& rejected) {
  for (const auto& m : candidates) {
    const auto* p = answer_of(in, m.name);
    std::string why = limitation(p);
    if (why.empty() && reference > p->wal_position &&
        static_cast<std::int64_t>(reference.value - p->wal_position.value) >
            in.settings.maximum_lag_on_failover)
      why = "lagging (" + p->wal_position.to_string() + " behind " + reference.to_string() + ")";
    if (why.empty() && in.settings.check_timeline && p->tl.value < cluster_timeline(*in.view))
      why = "on timeline " + std::to_string(p->tl.value) + ", behind the cluster's " +
            std::to_string(cluster_timeline(*in.view));
    if (why.empty()) return m.name;
    rejected += (rejected.empty() ? "" : ", ") + ("'" + m.name + "' is " + why);
  }
  return "";
}

// Patroni's choice: in synchronous mode the members the sync key names (none when it does not
// name the candidate), otherwise the candidate, or every member when none is named.
std::vector<member_record> holder_candidates(const ha_inputs& in, const failover_request& f) {
  std::vector<member_record> out;
  const auto& sync = in.view->sync;
  const bool sync_mode = in.settings.synchronous_mode;
  if (sync_mode && !f.member.empty() && !sync.matches(f.member)) return out;
  for (const auto& m : in.view->members) {
    if (m.name == me(in) || m.nofailover() || m.api_url.empty()) continue;
    if (sync_mode ? !sync.matches(m.name) : !f.member.empty() && m.name != f.member) continue;
    out.push_back(m);
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> scheduled_time(const failover_request& f) {
  if (f.scheduled_at.empty()) return 0;
  auto t = parse_iso_time(f.scheduled_at);
  if (!t) return std::nullopt;
  return t->epoch_ms;
}

bool named_candidate_is_me(const ha_inputs& in) {
  return in.view && in.view->failover && in.view->failover->member == me(in) &&
         !in.settings.nofailover;
}

holder_verdict judge_failover_as_holder(const ha_inputs& in, bool answers_current) {
  holder_verdict v;
  if (!in.view || !in.view->failover) return v;
  const auto& f = *in.view->failover;
  auto when = scheduled_time(f);
  if (!when) {
    v.step = holder_step::clear;
    v.why = "manual failover: cannot read scheduled_at \"" + f.scheduled_at +
            "\"; cleaning up failover key";
    return v;
  }
  if (*when != 0) {
    const std::int64_t loop_ms = std::int64_t{in.settings.loop_wait} * 1000;
    if (*when > in.now_ms) {
      v.why = "awaiting failover at " + f.scheduled_at + " (in " +
              std::to_string((*when - in.now_ms + 999) / 1000) + " s)";
      // The regular loop comes back in time unless the moment is within one loop.
      if (*when - in.now_ms <= loop_ms) v.wake_at_ms = *when;
      return v;
    }
    if (in.now_ms - *when > loop_ms * 3 / 2) {
      v.step = holder_step::clear;
      v.why = "found a stale failover value, cleaning up: " + f.scheduled_at;
      return v;
    }
  }
  if (!f.leader.empty() && f.leader != me(in)) {
    v.step = holder_step::clear;
    v.why = "manual failover: leader name does not match: " + f.leader + " != " + me(in) +
            "; cleaning up failover key";
    return v;
  }
  if (in.settings.paused && f.member.empty()) {
    v.step = holder_step::clear;
    v.why =
        "manual failover: in maintenance mode only a switchover to a named candidate is "
        "possible; cleaning up failover key";
    return v;
  }
  if (f.member == me(in)) {
    v.step = holder_step::clear;
    v.why =
        "manual failover: I am already the leader, no need to failover; cleaning up "
        "failover key";
    return v;
  }
  auto candidates = holder_candidates(in, f);
  if (candidates.empty() && in.settings.synchronous_mode) {
    v.step = holder_step::clear;
    v.why = "manual failover: " +
            (f.member.empty() ? std::string("no synchronous standby can take over")
                              : "candidate '" + f.member + "' is not a synchronous standby") +
            "; cleaning up failover key";
    return v;
  }
  if (candidates.empty()) {
    v.step = holder_step::clear;
    v.why = f.member.empty()
                ? "manual failover: no other member may take over; cleaning up failover key"
                : "manual failover: candidate '" + f.member +
                      "' is not a member that may take over; cleaning up failover key";
    return v;
  }
  if (!answers_current) {
    v.step = holder_step::probe;
    v.candidates = std::move(candidates);
    v.why = "manual failover: asking " + std::to_string(v.candidates.size()) +
            " candidate(s) how they are";
    return v;
  }
  std::string rejected;
  auto good = good_candidate(in, candidates, in.pg.wal_position, rejected);
  if (good.empty()) {
    v.step = holder_step::clear;
    v.why = "manual failover: no healthy members found, failover is not possible (" + rejected +
            "); cleaning up failover key";
    return v;
  }
  v.step = holder_step::demote;
  v.why = "manual failover: demoting myself ('" + good + "' can take over)";
  return v;
}

race_verdict judge_failover_without_leader(const ha_inputs& in) {
  const auto& f = *in.view->failover;
  const bool sync_standby = in.view->sync.matches(me(in));
  // A switchover in synchronous mode: only the synchronous standbys and the former leader race.
  if (in.settings.synchronous_mode && !f.leader.empty() && !sync_standby)
    return {false, "manual failover: I am not a synchronous standby"};
  if (!f.member.empty()) {
    if (f.member == me(in)) return {true, "manual failover: I am the candidate"};
    if (in.settings.synchronous_mode && !sync_standby)
      return {false, "manual failover: to " + f.member + ", and I am not a synchronous standby"};
    if (in.view->find_member(f.member)) {
      std::string why = limitation(answer_of(in, f.member));
      if (why.empty()) return {false, "manual failover: to " + f.member + ", i am " + me(in)};
    }
    // The named candidate cannot take over: any member may, as if none was named.
  }
  if (!f.leader.empty() && f.leader == me(in)) {
    std::vector<member_record> others;
    for (const auto& m : in.view->members)
      if (m.name != f.member && m.name != f.leader && !m.nofailover() && !m.api_url.empty())
        others.push_back(m);
    std::string rejected;
    auto good = good_candidate(in, others, in.view->optime, rejected);
    if (!good.empty())
      return {false, "manual failover: I was the leader; '" + good + "' is healthy and takes over"};
    return {true, "manual failover: I was the leader and no other member is healthy"};
  }
  // Every member but the former leader is a candidate; the lag limit does not apply.
  ha_inputs judged = in;
  judged.settings.maximum_lag_on_failover = std::numeric_limits<std::int64_t>::max();
  std::erase_if(judged.peers.peers, [&](const peer_status& p) { return p.name == f.leader; });
  auto verdict = evaluate_race(judged);
  verdict.why = "manual failover: " + verdict.why;
  return verdict;
}

}  // namespace praetor::ha

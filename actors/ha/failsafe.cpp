#include "actors/ha/failsafe.hpp"

#include <boost/json.hpp>

#include "actors/ha/decide_parts.hpp"
#include "actors/ha/slot_set.hpp"

namespace praetor::ha {

namespace {

std::int64_t loop_ms(const ha_inputs& in) {
  return std::int64_t{in.settings.loop_wait} * 1000;
}

// The members of the failsafe key but us, as records with a name and an api_url.
std::vector<member_record> failsafe_targets(const ha_inputs& in, const boost::json::object& key) {
  std::vector<member_record> out;
  for (const auto& [name, url] : key) {
    if (name == me(in)) continue;
    member_record m;
    m.name = std::string(name);
    if (url.is_string()) m.api_url = std::string(url.get_string());
    out.push_back(std::move(m));
  }
  return out;
}

// Who of `targets` did not accept in `answers` (all accepted: "").
std::string refusals(const std::vector<member_record>& targets, const failsafe_answers& answers) {
  std::string out;
  for (const auto& t : targets) {
    const failsafe_answer* a = nullptr;
    for (const auto& candidate : answers.answers)
      if (candidate.name == t.name) a = &candidate;
    if (a && a->accepted) continue;
    out += (out.empty() ? "'" : ", '") + t.name + "' " +
           (a ? (a->detail.empty() ? std::string("refused") : a->detail) : "was not asked");
  }
  return out;
}

}  // namespace

void publish_failsafe(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  mem.failsafe_active_ms = 0;
  mem.failsafe_leader.clear();
  if (!in.settings.failsafe_mode) return;
  boost::json::object want;
  for (const auto& m : in.view->members)
    if (!m.api_url.empty()) want[m.name] = m.api_url;
  want[me(in)] = in.settings.api_url;
  if (in.view->failsafe == want || mem.failsafe_sent == want) return;
  b.send(write_failsafe{want});
  mem.failsafe_sent = std::move(want);
}

bool failsafe_keeps_primary(const ha_inputs& in, builder& b, std::string& why) {
  auto& mem = b.memory();
  const auto* key = in.view && in.view->failsafe ? &*in.view->failsafe : nullptr;
  if (!key || !key->contains(me(in))) {
    why = "failsafe mode: this member is not in the failsafe key";
    mem.failsafe_active_ms = 0;
    return false;
  }
  const auto targets = failsafe_targets(in, *key);
  const std::string go_on =
      "continue to run as a leader because failsafe mode is enabled and all members are "
      "accessible";
  if (targets.empty()) {  // a cluster of one
    mem.failsafe_active_ms = in.now_ms;
    b.wake_at(in.now_ms + loop_ms(in));
    b.say(go_on);
    return true;
  }
  const std::int64_t lost = in.memory.dcs_lost_since_ms ? in.memory.dcs_lost_since_ms : in.now_ms;
  const bool this_outage = mem.failsafe_round > 0 && mem.failsafe_round_ms >= lost;
  const bool answered = this_outage && in.failsafe.round == mem.failsafe_round;
  const std::string refused = answered ? refusals(targets, in.failsafe) : std::string();
  if (answered && refused.empty()) mem.failsafe_active_ms = mem.failsafe_round_ms;
  if (answered && !refused.empty()) mem.failsafe_active_ms = 0;
  // Rounds that never come back count as refusals after two loops.
  if (mem.failsafe_active_ms && in.now_ms - mem.failsafe_active_ms > 2 * loop_ms(in) + 2500)
    mem.failsafe_active_ms = 0;

  const bool due = !this_outage || in.now_ms - mem.failsafe_round_ms >= loop_ms(in);
  if (due) {
    // Every loop, a new round; the last one's outcome holds while it runs.
    boost::json::object notice{
        {"name", me(in)}, {"conn_url", in.settings.conn_url}, {"api_url", in.settings.api_url}};
    // The replicas go on advancing their logical slots to these positions.
    if (auto slots = published_slot_positions(in); !slots.empty())
      notice["slots"] = slot_positions_to_json(slots);
    std::string body = boost::json::serialize(notice);
    b.send(failsafe_ping{++mem.failsafe_round, targets, std::move(body), 2000});
    mem.failsafe_round_ms = in.now_ms;
    b.wake_at(in.now_ms + 2500);  // the answers come within the timeout
    if (!this_outage) {
      b.say("failsafe mode: asking " + std::to_string(targets.size()) +
            " member(s) to accept this primary (POST /failsafe)");
      return true;
    }
  } else if (!answered) {
    b.wake_at(mem.failsafe_round_ms + 2500);
    if (mem.failsafe_active_ms == 0 && in.now_ms - mem.failsafe_round_ms < 2500) {
      b.say("failsafe mode: waiting for the members' answers to POST /failsafe");
      return true;
    }
  } else {
    b.wake_at(mem.failsafe_round_ms + loop_ms(in));
  }
  if (answered && !refused.empty()) {
    why = "failsafe mode: not every member accepted POST /failsafe (" + refused + ")";
    return false;
  }
  if (mem.failsafe_active_ms == 0) {
    why = "failsafe mode: no answer to POST /failsafe";
    return false;
  }
  b.say(go_on);
  return true;
}

std::optional<std::string> failsafe_leader(const ha_inputs& in) {
  const auto& mem = in.memory;
  if (!in.settings.failsafe_mode || mem.failsafe_leader.empty() || mem.failsafe_active_ms == 0 ||
      in.now_ms - mem.failsafe_active_ms >= std::int64_t{in.settings.ttl} * 1000)
    return std::nullopt;
  return mem.failsafe_leader;
}

std::optional<std::string> failsafe_race_refusal(const ha_inputs& in) {
  if (!in.settings.failsafe_mode || !in.view || !in.view->failsafe) return std::nullopt;
  const auto& key = *in.view->failsafe;
  if (key.empty() || key.contains(me(in))) return std::nullopt;
  return "I am not in the failsafe key (failsafe mode)";
}

bool failsafe_active(const ha_inputs& in) {
  const auto since = in.memory.failsafe_active_ms;
  return in.settings.failsafe_mode && since > 0 &&
         in.now_ms - since < std::int64_t{in.settings.ttl} * 1000;
}

failsafe_reply answer_failsafe_notice(const ha_inputs& in) {
  if (!in.settings.failsafe_mode) return {502, "failsafe mode is not enabled"};
  if (pg_running(in.pg) && in.pg.role == pg_role::primary) return {500, "Running as a leader"};
  return {200, "Accepted"};
}

}  // namespace praetor::ha

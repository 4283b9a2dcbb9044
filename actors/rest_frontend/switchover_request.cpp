#include "actors/rest_frontend/switchover_request.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "actors/rest_frontend/router.hpp"
#include "actors/rest_frontend/schedule_time.hpp"
#include "actors/rest_frontend/snapshot_facts.hpp"
#include "messages/iso_time.hpp"

namespace praetor::rest {
namespace json = boost::json;

namespace {

// Patroni reads the fields with dict.get() and tests them for truth: null, "", false and 0
// mean "not given". Any other non-string is kept as its JSON text, which matches no member
// and parses as no time, as Patroni's comparisons and dateutil would fail on it.
std::string field(const json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end()) return {};
  const auto& v = it->value();
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null() || (v.is_bool() && !v.get_bool()) || (v.is_int64() && v.get_int64() == 0) ||
      (v.is_uint64() && v.get_uint64() == 0) || (v.is_double() && v.get_double() == 0.0) ||
      (v.is_array() && v.get_array().empty()) || (v.is_object() && v.get_object().empty()))
    return {};
  return json::serialize(v);
}

// Patroni's is_failover_possible, with the member records standing in for the peers' answers.
// nullopt when the request may be written.
std::optional<std::string> why_impossible(const cluster_view& view, const std::string& leader,
                                          const std::string& candidate, failover_action a) {
  if (!leader.empty() && (!view.leader || view.leader->name != leader))
    return "leader name does not match";
  const bool synchronous = is_synchronous_mode(view);
  if (!candidate.empty()) {
    // A failover may pick any member; a switchover in synchronous mode only a sync standby.
    if (a == failover_action::switchover && synchronous && !named_sync_standby(view, candidate))
      return "candidate name does not match with sync_standby";
    const member_record* m = view.find_member(candidate);
    if (!m) return "candidate does not exists";
    if (auto why = candidate_limitation(*m))
      return fmt::format("{} is not possible: candidate \"{}\" {}", action_name(a), candidate,
                         *why);
    return std::nullopt;
  }
  if (synchronous) {
    // Only the members the sync key names are asked, the leader's own record too if named.
    bool any_sync = false;
    for (const auto& m : view.members) {
      if (!named_sync_standby(view, m.name)) continue;
      any_sync = true;
      if (!candidate_limitation(m)) return std::nullopt;
    }
    if (!any_sync)
      return fmt::format("{} is not possible: can not find sync_standby", action_name(a));
    return fmt::format("{} is not possible: no good candidates have been found", action_name(a));
  }
  bool any_other = false;
  for (const auto& m : view.members) {
    if ((view.leader && m.name == view.leader->name) || m.api_url.empty()) continue;
    any_other = true;
    if (!candidate_limitation(m)) return std::nullopt;
  }
  if (!any_other)
    return fmt::format("{} is not possible: cluster does not have members except leader",
                       action_name(a));
  return fmt::format("{} is not possible: no good candidates have been found", action_name(a));
}

}  // namespace

std::string_view action_name(failover_action a) {
  return a == failover_action::switchover ? "switchover" : "failover";
}

std::string action_title(failover_action a) {
  return a == failover_action::switchover ? "Switchover" : "Failover";
}

std::optional<std::string> candidate_limitation(const member_record& m) {
  // Lag is judged by the leader when it acts, from the candidate's live answer: the WAL
  // positions in the member records are up to a loop_wait old on both sides.
  if (m.state != "running") return fmt::format("is not running (its state is \"{}\")", m.state);
  if (m.nofailover()) return std::string("is tagged nofailover");
  return std::nullopt;
}

failover_check check_failover_request(failover_action action, const http_request& request,
                                      const node_snapshot& snapshot, std::int64_t now_ms) {
  auto body = read_json_body(request);
  if (auto* refusal = std::get_if<http_response>(&body)) return std::move(*refusal);
  const auto& o = std::get<json::object>(body);

  const std::string leader = field(o, "leader");
  std::string candidate = field(o, "candidate");
  if (candidate.empty()) candidate = field(o, "member");
  const std::string scheduled_at = field(o, "scheduled_at");
  static const cluster_view no_view;
  const cluster_view& view = snapshot.view ? *snapshot.view : no_view;
  const bool paused = is_paused(view);

  if (action == failover_action::failover && candidate.empty())
    return text_response(400, "Failover could be performed only to a specific candidate");
  if (action == failover_action::switchover && leader.empty())
    return text_response(400, "Switchover could be performed only from a specific leader");

  failover_plan plan;
  if (!scheduled_at.empty()) {
    if (leader.empty())
      return text_response(400, fmt::format("Scheduled {} is possible only from a specific leader",
                                            action_name(action)));
    if (paused)
      return text_response(
          400, fmt::format("Can't schedule {} in the paused state", action_name(action)));
    auto schedule = parse_schedule(scheduled_at, action_name(action), now_ms);
    if (schedule.refusal) return std::move(*schedule.refusal);
    plan.scheduled = true;
    plan.request.scheduled_at = format_iso_time(schedule.epoch_ms);
  }
  if (paused && candidate.empty())
    return text_response(
        400, action_title(action) + " is possible only to a specific candidate in a paused state");
  if (!plan.scheduled) {
    if (auto why = why_impossible(view, leader, candidate, action))
      return text_response(412, std::move(*why));
  }
  plan.request.leader = leader;
  plan.request.member = candidate;
  plan.leader_at_request = view.leader ? view.leader->name : "";
  return plan;
}

std::variant<http_response, write_failover> check_delete_switchover(const node_snapshot& s) {
  if (s.view && s.view->failover && !s.view->failover->scheduled_at.empty())
    return write_failover{failover_request{}, s.view->failover->version};
  return text_response(404, "no switchover is scheduled");
}

}  // namespace praetor::rest

#include "apps/praetorctl/failover_plan.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "messages/iso_time.hpp"

namespace praetor::ctl {
namespace json = boost::json;

std::string action_name(ctl_action a) {
  return a == ctl_action::switchover ? "switchover" : "failover";
}

std::string action_title(ctl_action a) {
  return a == ctl_action::switchover ? "Switchover" : "Failover";
}

local_zone system_local_zone() {
  local_zone z;
  z.offset_of_wall = [](std::int64_t wall_ms) -> std::int64_t {
    std::time_t wall = static_cast<std::time_t>(wall_ms / 1000);
    std::tm tm{};
    ::gmtime_r(&wall, &tm);
    tm.tm_isdst = -1;  // let mktime decide whether summer time applies at that wall time
    std::time_t utc = std::mktime(&tm);
    return utc == static_cast<std::time_t>(-1) ? 0 : static_cast<std::int64_t>(wall - utc);
  };
  z.offset_at = [](std::int64_t epoch_ms) -> std::int64_t {
    std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    return tm.tm_gmtoff;
  };
  z.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return z;
}

namespace {

// "+HH:MM" (with ":SS" when the offset has seconds), as Python writes utcoffset().
std::string offset_text(std::int64_t offset_s) {
  char sign = offset_s < 0 ? '-' : '+';
  auto a = offset_s < 0 ? -offset_s : offset_s;
  char buf[32];
  if (a % 60 != 0)
    std::snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", sign, int(a / 3600), int(a / 60 % 60),
                  int(a % 60));
  else
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, int(a / 3600), int(a / 60 % 60));
  return buf;
}

// Fields of a local time given as "wall ms" (local date and time written as if UTC).
struct wall_fields {
  int year, month, day, hour, minute, second, ms;
};

wall_fields fields_of(std::int64_t wall_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds{wall_ms}};
  auto day_start = floor<days>(t);
  year_month_day ymd{day_start};
  hh_mm_ss hms{t - day_start};
  return {int(ymd.year()),
          int(unsigned(ymd.month())),
          int(unsigned(ymd.day())),
          int(hms.hours().count()),
          int(hms.minutes().count()),
          int(hms.seconds().count()),
          int(hms.subseconds().count())};
}

plan_outcome refuse(std::string why) {
  plan_outcome o;
  o.error = std::move(why);
  return o;
}

plan_outcome abort_dialogue() {
  plan_outcome o;
  o.aborted = true;
  return o;
}

}  // namespace

std::string format_local_iso(std::int64_t epoch_ms, const local_zone& zone) {
  auto offset = zone.offset_at(epoch_ms);
  auto text = format_iso_time(epoch_ms + offset * 1000);  // the local wall time, ending "+00:00"
  return text.substr(0, text.size() - 6) + offset_text(offset);
}

std::string next_hour_example(const local_zone& zone) {
  auto f = fields_of(zone.now_ms + 3600 * 1000 + zone.offset_at(zone.now_ms) * 1000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", f.year, f.month, f.day, f.hour,
                f.minute);
  return buf;
}

std::string ctl_timestamp(std::int64_t epoch_ms, const local_zone& zone) {
  auto f = fields_of(epoch_ms + zone.offset_at(epoch_ms) * 1000);
  char buf[64];
  // Python's %f has six digits and patronictl drops the last one.
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%05d", f.year, f.month, f.day,
                f.hour, f.minute, f.second, f.ms * 100);
  return buf;
}

schedule_outcome parse_scheduled(const std::optional<std::string>& text, const local_zone& zone) {
  schedule_outcome out;
  if (!text || text->empty() || *text == "now") return out;
  auto t = parse_iso_time(*text);
  if (!t) {
    out.error = "Unable to parse scheduled timestamp (" + *text +
                "). It should be in an unambiguous format (e.g. ISO 8601)";
    return out;
  }
  auto epoch_ms =
      t->has_timezone ? t->epoch_ms : t->epoch_ms - zone.offset_of_wall(t->epoch_ms) * 1000;
  out.iso = format_local_iso(epoch_ms, zone);
  return out;
}

std::vector<std::string> candidate_names(const cluster_view& view, const std::string& leader) {
  std::vector<std::string> names;
  for (const auto& m : view.members)
    if (m.name != leader && !m.nofailover()) names.push_back(m.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::string python_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", '" : "'") + names[i] + "'";
  return out + "]";
}

plan_outcome plan_failover(const failover_options& options, const cluster_view& view,
                           const std::string& cluster_name, operator_prompt& prompt,
                           const local_zone& zone) {
  failover_plan plan;
  plan.action = options.action;
  // patronictl's `failover` command: naming the leader makes it a switchover.
  if (options.action == ctl_action::failover && options.leader && !options.leader->empty())
    plan.action = ctl_action::switchover;
  const auto action = action_name(plan.action);
  const bool has_leader = view.leader && !view.leader->name.empty();

  if (plan.action == ctl_action::switchover && !has_leader)
    return refuse("This cluster has no leader");

  std::optional<std::string> leader = options.leader;
  if (!leader) {
    if (options.force || plan.action == ctl_action::failover) {
      if (has_leader) leader = view.leader->name;
    } else {
      auto answer =
          prompt.ask(is_standby_cluster(view) ? "Standby Leader" : "Primary", view.leader->name);
      if (!answer) return abort_dialogue();
      leader = *answer;
    }
  }
  if (leader && has_leader && view.leader->name != *leader)
    return refuse("Member " + *leader + " is not the leader of cluster " + cluster_name);

  const auto names = candidate_names(view, leader.value_or(""));
  if (names.empty()) return refuse("No candidates found to " + action + " to");

  std::optional<std::string> candidate = options.candidate;
  if (!candidate && !options.force) {
    auto answer = prompt.ask("Candidate " + python_list(names), "");
    if (!answer) return abort_dialogue();
    candidate = *answer;
  }
  const bool named = candidate && !candidate->empty();
  if (plan.action == ctl_action::failover && !named)
    return refuse("Failover could be performed only to a specific candidate");
  if (named && leader && *candidate == *leader)
    return refuse(action_title(plan.action) + " target and source are the same.");
  if (named && std::find(names.begin(), names.end(), *candidate) == names.end())
    return refuse("Member " + *candidate + " does not exist in cluster " + cluster_name);

  if (plan.action == ctl_action::switchover) {
    auto scheduled = options.scheduled;
    if (!scheduled && !options.force) {
      auto answer = prompt.ask(
          "When should the switchover take place (e.g. " + next_hour_example(zone) + " ) ", "now");
      if (!answer) return abort_dialogue();
      scheduled = *answer;
    }
    auto when = parse_scheduled(scheduled, zone);
    if (!when.error.empty()) return refuse(when.error);
    if (!when.iso.empty() && is_paused(view))
      return refuse("Can't schedule switchover in the paused state");
    plan.scheduled_at = when.iso;
  }

  plan.leader = leader.value_or("");
  plan.candidate = candidate.value_or("");

  if (!options.force) {
    const auto demote = plan.leader.empty() ? "" : ", demoting current leader " + plan.leader;
    if (!plan.scheduled_at.empty()) {
      auto yes = prompt.confirm("Are you sure you want to schedule " + action + " of cluster " +
                                cluster_name + " at " + plan.scheduled_at + demote + "?");
      if (!yes) return abort_dialogue();
      if (!*yes) return refuse("Aborting scheduled " + action);
    } else {
      auto yes = prompt.confirm("Are you sure you want to " + action + " cluster " + cluster_name +
                                demote + "?");
      if (!yes) return abort_dialogue();
      if (!*yes) return refuse("Aborting " + action);
    }
  }

  plan_outcome out;
  out.plan = plan;
  return out;
}

json::object request_body(const failover_plan& plan) {
  auto or_null = [](const std::string& s) -> json::value {
    return s.empty() ? json::value(nullptr) : json::value(s);
  };
  return json::object{{"leader", or_null(plan.leader)},
                      {"candidate", or_null(plan.candidate)},
                      {"scheduled_at", or_null(plan.scheduled_at)}};
}

failover_request dcs_fallback_value(const failover_plan& plan) {
  failover_request f;
  f.leader = plan.leader;
  f.member = plan.candidate;
  f.scheduled_at = plan.scheduled_at;
  return f;
}

const member_record* request_target(const cluster_view& view, const failover_plan& plan) {
  if (view.leader && !view.leader->name.empty()) return view.find_member(view.leader->name);
  return plan.candidate.empty() ? nullptr : view.find_member(plan.candidate);
}

std::variant<peers::api_target, std::string> endpoint_target(std::string_view api_url,
                                                             std::string_view endpoint) {
  if (api_url.empty()) return std::string("no api_url is known");
  auto parsed = peers::parse_api_url(api_url);
  if (auto* target = std::get_if<peers::api_target>(&parsed))
    target->http.target = "/" + std::string(endpoint);
  return parsed;
}

std::vector<const member_record*> members_leader_first(const cluster_view& view) {
  std::vector<const member_record*> out;
  const member_record* leader = view.leader_member();
  if (leader && !leader->api_url.empty()) out.push_back(leader);
  for (const auto& m : view.members)
    if (&m != leader && !m.api_url.empty()) out.push_back(&m);
  return out;
}

bool has_scheduled_switchover(const cluster_view& view) {
  return view.failover && !view.failover->scheduled_at.empty();
}

int answer_timeout_s(const cluster_view& view) {
  std::int64_t loop_wait = 10;
  if (view.config)
    if (auto* v = view.config->if_contains("loop_wait"); v && v->is_number()) {
      boost::system::error_code ec;
      auto n = v->to_number<std::int64_t>(ec);
      if (!ec && n > 0 && n < 3600) loop_wait = n;
    }
  return static_cast<int>(2 * std::max<std::int64_t>(10, loop_wait) + 15);
}

}  // namespace praetor::ctl

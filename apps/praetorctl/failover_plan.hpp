// The decisions behind `praetorctl switchover`, `failover` and `flush switchover`, apart from
// their I/O: the checks patronictl 3.0.2 makes (ctl.py `_do_failover_or_switchover`) with its
// error texts, the questions it asks when --force is not given, the request body, the member
// the request goes to, and the failover key written when the REST API cannot be reached.
//
// Questions go through the `operator_prompt` interface, so the whole dialogue runs in tests
// with scripted answers; the clock's only role (local time of a schedule) comes in as
// `local_zone`. Nothing here touches a socket, the DCS or a terminal. Any thread.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/peer_probe/api_url.hpp"
#include "messages/cluster_flags.hpp"
#include "messages/cluster_view.hpp"

namespace praetor::ctl {

enum class ctl_action { switchover, failover };

std::string action_name(ctl_action a);   // "switchover": the endpoint and patronictl's wording
std::string action_title(ctl_action a);  // "Switchover"

// What the command line said.
struct failover_options {
  ctl_action action = ctl_action::switchover;
  std::optional<std::string> leader;     // --leader / --primary / --master
  std::optional<std::string> candidate;  // --candidate
  std::optional<std::string> scheduled;  // --scheduled (switchover only)
  bool force = false;                    // --force: ask nothing, take the defaults
};

// The operator at the terminal. Both calls return nullopt when input ended (EOF): the command
// is then aborted, as click aborts.
class operator_prompt {
 public:
  virtual ~operator_prompt() = default;
  // click.prompt: shows "<text> [<default>]: "; an empty answer gives `default_value`.
  virtual std::optional<std::string> ask(const std::string& text,
                                         const std::string& default_value) = 0;
  // click.confirm with default No: shows "<text> [y/N]: ".
  virtual std::optional<bool> confirm(const std::string& text) = 0;
};

// Local time, which patronictl assumes for a schedule given without a timezone.
struct local_zone {
  // Offset from UTC in seconds of the local wall-clock time `wall_ms` (a local date and time
  // written as if it were UTC, in ms since the epoch).
  std::function<std::int64_t(std::int64_t wall_ms)> offset_of_wall;
  // Offset from UTC in seconds in effect at the instant `epoch_ms`.
  std::function<std::int64_t(std::int64_t epoch_ms)> offset_at;
  std::int64_t now_ms = 0;  // for the example in the schedule question
};

// The process's own zone (TZ / /etc/localtime) and clock.
local_zone system_local_zone();

// patronictl's parse_scheduled: nullopt or "now" = not scheduled (empty `iso`); otherwise an
// ISO-8601 time, local time when no timezone is given, written back with the local offset
// ("2026-11-27T14:00:00+01:00").
struct schedule_outcome {
  std::string iso;    // "" = now
  std::string error;  // set when the text does not parse
};
schedule_outcome parse_scheduled(const std::optional<std::string>& text, const local_zone& zone);

// The example in patronictl's "When should the ... take place (e.g. ...)" questions: the local
// time an hour from zone.now_ms, "YYYY-MM-DDTHH:MM".
std::string next_hour_example(const local_zone& zone);

// ISO-8601 with the local offset in effect at `epoch_ms`, as Python's isoformat() of an aware
// datetime writes it (microseconds only when non-zero).
std::string format_local_iso(std::int64_t epoch_ms, const local_zone& zone);

// Everything the request needs, once every check passed and the operator agreed.
struct failover_plan {
  ctl_action action = ctl_action::switchover;  // failover with --leader becomes a switchover
  std::string leader;                          // "" = none (failover of a leaderless cluster)
  std::string candidate;                       // "" = none: the leader lets the healthiest win
  std::string scheduled_at;                    // ISO-8601 with offset; "" = now
};

// Either a plan, or why not: `error` is patronictl's text ("This cluster has no leader", ...);
// `aborted` means input ended at a question (click prints "Aborted!").
struct plan_outcome {
  std::optional<failover_plan> plan;
  std::string error;
  bool aborted = false;
};

// The checks and questions of _do_failover_or_switchover, in its order. `cluster_name` names
// the cluster in the messages.
plan_outcome plan_failover(const failover_options& options, const cluster_view& view,
                           const std::string& cluster_name, operator_prompt& prompt,
                           const local_zone& zone);

// Members a switchover or failover may go to: every member but `leader`, without nofailover,
// sorted by name.
std::vector<std::string> candidate_names(const cluster_view& view, const std::string& leader);

// Python's str() of a list of strings: ['a', 'b'] (the candidate question shows it).
std::string python_list(const std::vector<std::string>& names);

// The body of POST /switchover and /failover: {"leader":..,"candidate":..,"scheduled_at":..},
// JSON null for a missing value, as patronictl sends it.
boost::json::object request_body(const failover_plan& plan);

// The failover key patronictl writes when the REST API cannot be used.
failover_request dcs_fallback_value(const failover_plan& plan);

// The member the request goes to: the leader, or the candidate when there is no leader.
// nullptr when that member has no record (the request cannot be made).
const member_record* request_target(const cluster_view& view, const failover_plan& plan);

// Where `endpoint` ("switchover") of a member's REST API is: the api_url's scheme and host:port
// with the path replaced, as patronictl builds it; or why no request can be made (no api_url,
// not an http(s) URL).
std::variant<peers::api_target, std::string> endpoint_target(std::string_view api_url,
                                                             std::string_view endpoint);


// DELETE /switchover goes to these in turn: the leader first, then the others by name; only
// members with an api_url.
std::vector<const member_record*> members_leader_first(const cluster_view& view);

// A scheduled switchover is pending: the failover key names a time.
bool has_scheduled_switchover(const cluster_view& view);

// How long to wait for the answer of POST /switchover: the daemon answers only after it saw
// the new leader, polling for up to 2 * max(10, loop_wait) s; some slack on top.
int answer_timeout_s(const cluster_view& view);

// patronictl's timestamp(): local "YYYY-MM-DD HH:MM:SS.fffff" (five fraction digits).
std::string ctl_timestamp(std::int64_t epoch_ms, const local_zone& zone);

}  // namespace praetor::ctl

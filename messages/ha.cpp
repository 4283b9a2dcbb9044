#include "messages/ha.hpp"

#include "messages/variant_json.hpp"

namespace praetor {
namespace json = boost::json;

namespace {
constexpr std::array<std::string_view, 11> event_names{
    "cluster_view",         "dcs_session_status", "pg_status",      "dcs_result",
    "slot_report",          "loop_tick",          "peer_statuses",  "ha_settings",
    "reinitialize_request", "failsafe_answers",   "failsafe_notice"};
constexpr std::array<std::string_view, 29> command_names{
    "race_initialize",   "write_initialize",
    "cancel_initialize", "write_config",
    "acquire_leader",    "refresh_leader",
    "release_leader",    "publish_member",
    "publish_status",    "bootstrap_postgres",
    "clone_postgres",    "start_postgres",
    "follow_upstream",   "stop_postgres",
    "reconcile_slots",   "promote_postgres",
    "demote_postgres",   "rejoin_postgres",
    "probe_peers",       "clear_failover",
    "write_history",     "reinitialize_postgres",
    "abandon_bootstrap", "shut_down",
    "write_sync",        "set_synchronous_standby_names",
    "write_failsafe",    "failsafe_ping",
    "copy_logical_slots"};
}  // namespace

json::value event_to_json(const ha_event& e) {
  return variant_json::to_json(e, event_names);
}
ha_event event_from_json(const json::value& v) {
  return variant_json::from_json<ha_event>(v, event_names);
}
std::string_view command_name(const ha_command& c) {
  return command_names[c.index()];
}
json::value command_to_json(const ha_command& c) {
  return variant_json::to_json(c, command_names);
}
ha_command command_from_json(const json::value& v) {
  return variant_json::from_json<ha_command>(v, command_names);
}

json::value decision_to_json(const decision& d) {
  json::array commands;
  for (const auto& c : d.commands) commands.push_back(command_to_json(c));
  return json::object{{"commands", std::move(commands)},
                      {"reason", d.reason},
                      {"next", json::value_from(d.next)},
                      {"wake_at_ms", d.wake_at_ms}};
}

decision decision_from_json(const json::value& v) {
  const auto& o = v.as_object();
  decision d;
  for (const auto& c : o.at("commands").as_array()) d.commands.push_back(command_from_json(c));
  d.reason = json::value_to<std::string>(o.at("reason"));
  d.next = json::value_to<ha_memory>(o.at("next"));
  if (auto* w = o.if_contains("wake_at_ms")) d.wake_at_ms = json::value_to<std::int64_t>(*w);
  return d;
}

}  // namespace praetor

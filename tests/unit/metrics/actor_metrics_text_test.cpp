// The Prometheus text of praetor's per-actor metrics: the exact lines for a small example,
// HELP and TYPE once per family before its samples, label escaping.
#include "actors/rest_frontend/actor_metrics_text.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

using namespace praetor;

namespace {

std::vector<std::uint64_t> buckets(
    std::initializer_list<std::pair<std::size_t, std::uint64_t>> at) {
  std::vector<std::uint64_t> out(handling_time_bounds_seconds.size(), 0);
  for (auto [i, n] : at) out[i] = n;
  return out;
}

// Two actors: the decider handled pg_status twice (40 us and 200 us) and has one decision;
// the DCS session handled nothing measured and reports its state and reconnects.
std::vector<actor_metrics> example() {
  actor_metrics decider;
  decider.actor = "ha_decider";
  decider.messages = {{"pg_status", 2, 0.00024, buckets({{0, 1}, {2, 1}})}};
  decider.mailbox_depth = 1;
  decider.actions_in_flight = 1;
  decider.named = {{"praetor_decisions_total", "promote", 1}};
  actor_metrics dcs;
  dcs.actor = "dcs_session";
  dcs.named = {{"praetor_dcs_reconnects_total", "", 2},
               {"praetor_dcs_session_state", "connected", 1}};
  return {decider, dcs};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("actor metrics as Prometheus text: the exact lines", "[metrics]") {
  const std::string expected =
      "# HELP praetor_actor_messages_total Messages the actor has handled, by type.\n"
      "# TYPE praetor_actor_messages_total counter\n"
      "praetor_actor_messages_total{actor=\"ha_decider\",type=\"pg_status\"} 2\n"
      "# HELP praetor_actor_message_handling_seconds Time the actor's handler took per message, "
      "by type, in seconds.\n"
      "# TYPE praetor_actor_message_handling_seconds histogram\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"5e-05\"} 1\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.0001\"} 1\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.00025\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.0005\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.001\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.0025\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.005\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.01\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.025\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.05\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.1\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.25\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"0.5\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"1\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"2.5\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"5\"} 2\n"
      "praetor_actor_message_handling_seconds_bucket{actor=\"ha_decider\",type=\"pg_status\","
      "le=\"+Inf\"} 2\n"
      "praetor_actor_message_handling_seconds_sum{actor=\"ha_decider\",type=\"pg_status\"} "
      "0.00024\n"
      "praetor_actor_message_handling_seconds_count{actor=\"ha_decider\",type=\"pg_status\"} 2\n"
      "# HELP praetor_actor_mailbox_depth Messages waiting in the actor's mailbox when it last "
      "reported.\n"
      "# TYPE praetor_actor_mailbox_depth gauge\n"
      "praetor_actor_mailbox_depth{actor=\"ha_decider\"} 1\n"
      "praetor_actor_mailbox_depth{actor=\"dcs_session\"} 0\n"
      "# HELP praetor_actor_actions_in_flight Long actions the actor has started and not yet "
      "seen finish.\n"
      "# TYPE praetor_actor_actions_in_flight gauge\n"
      "praetor_actor_actions_in_flight{actor=\"ha_decider\"} 1\n"
      "praetor_actor_actions_in_flight{actor=\"dcs_session\"} 0\n"
      "# HELP praetor_decisions_total Decisions of the HA decider, by the kind of command they "
      "sent (no_action: none).\n"
      "# TYPE praetor_decisions_total counter\n"
      "praetor_decisions_total{actor=\"ha_decider\",kind=\"promote\"} 1\n"
      "# HELP praetor_dcs_reconnects_total Times the DCS session was connected again after "
      "losing its connection or its session.\n"
      "# TYPE praetor_dcs_reconnects_total counter\n"
      "praetor_dcs_reconnects_total{actor=\"dcs_session\"} 2\n"
      "# HELP praetor_dcs_session_state Value is 1 for the DCS session's current state "
      "(connecting, connected, disconnected, expired).\n"
      "# TYPE praetor_dcs_session_state gauge\n"
      "praetor_dcs_session_state{actor=\"dcs_session\",state=\"connected\"} 1\n";
  CHECK(rest::actor_metrics_text(example()) == expected);
}

TEST_CASE("every family has one HELP and one TYPE line before its samples", "[metrics]") {
  std::vector<actor_metrics> actors = example();
  actors[1].messages = {{"cluster_view", 5, 0.01, buckets({{3, 5}})}};
  actors[1].named.push_back({"praetor_from_the_past_total", "", 1});
  actors[1].named.push_back({"praetor_from_the_future_total", "x", 7});  // no table knows it

  std::map<std::string, int> helps, types;
  std::string current;  // the family whose header came last
  for (const std::string& line : lines_of(rest::actor_metrics_text(actors))) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      ++(line[2] == 'H' ? helps : types)[name];
      current = name;
      continue;
    }
    const std::string sample = line.substr(0, line.find_first_of("{ "));
    INFO(line);
    CHECK(helps.count(current) == 1);
    CHECK(types.count(current) == 1);
    CHECK((sample == current || sample == current + "_bucket" || sample == current + "_sum" ||
           sample == current + "_count"));
  }
  for (const auto& [name, n] : helps) CHECK(n == 1);
  for (const auto& [name, n] : types) CHECK(n == 1);
  CHECK(types.size() == 9);
  CHECK(types.count("praetor_from_the_past_total") == 1);
  CHECK(types.count("praetor_from_the_future_total") == 1);
}

TEST_CASE("a family no table knows is still printed, untyped", "[metrics]") {
  actor_metrics a;
  a.actor = "slot_manager";
  a.named = {{"praetor_slots_dropped_total", "", 3}, {"praetor_slots_kept", "phys", 1}};
  const std::string text = rest::actor_metrics_text({a});
  CHECK(text.find("# TYPE praetor_slots_dropped_total untyped\n"
                  "praetor_slots_dropped_total{actor=\"slot_manager\"} 3\n") != std::string::npos);
  CHECK(text.find("praetor_slots_kept{actor=\"slot_manager\",label=\"phys\"} 1\n") !=
        std::string::npos);
}

TEST_CASE("label values are escaped as the exposition format asks", "[metrics]") {
  CHECK(rest::escape_label_value("plain") == "plain");
  CHECK(rest::escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");

  actor_metrics a;
  a.actor = "odd \"one\"";
  a.messages = {{"x\\y", 1, 0.001, buckets({{4, 1}})}};
  const std::string text = rest::actor_metrics_text({a});
  CHECK(text.find("praetor_actor_messages_total{actor=\"odd \\\"one\\\"\",type=\"x\\\\y\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("praetor_actor_mailbox_depth{actor=\"odd \\\"one\\\"\"} 0\n") !=
        std::string::npos);
}

TEST_CASE("no actors, no lines, and actors without messages, no message families", "[metrics]") {
  CHECK(rest::actor_metrics_text({}).empty());
  actor_metrics idle;
  idle.actor = "slot_manager";
  const std::string text = rest::actor_metrics_text({idle});
  CHECK(text.find("praetor_actor_messages_total") == std::string::npos);
  CHECK(text.find("praetor_actor_message_handling_seconds") == std::string::npos);
  CHECK(lines_of(text).size() == 6);  // two gauges: HELP, TYPE, sample each
}

TEST_CASE("bucket bounds as le labels", "[metrics]") {
  std::vector<std::string> le;
  for (double b : handling_time_bounds_seconds) le.push_back(rest::bucket_bound_text(b));
  CHECK(le == std::vector<std::string>{"5e-05", "0.0001", "0.00025", "0.0005", "0.001", "0.0025",
                                       "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
                                       "2.5", "5", "+Inf"});
}

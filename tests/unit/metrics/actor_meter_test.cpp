// actor_meter alone: counts, histogram buckets (upper bounds inclusive), the sum, gauges and
// named families, and the order of a snapshot.
#include "actors/actor_meter/actor_meter.hpp"

#include <catch2/catch.hpp>
#include <numeric>

using namespace praetor;
using namespace std::chrono_literals;

namespace {

const message_stats& stats_of(const actor_metrics& m, std::string_view type) {
  for (const message_stats& s : m.messages)
    if (s.type == type) return s;
  FAIL("no statistics for " << type);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the bucket bounds run from 50 us to 5 s, then +Inf", "[metrics]") {
  CHECK(handling_time_bounds_seconds.front() == 0.00005);
  CHECK(handling_time_bounds_seconds[15] == 5.0);
  CHECK(std::isinf(handling_time_bounds_seconds.back()));
  CHECK(std::is_sorted(handling_time_bounds_seconds.begin(), handling_time_bounds_seconds.end()));
}

TEST_CASE("each message lands in the first bucket whose bound it does not exceed", "[metrics]") {
  actor_meter meter("ha_decider");
  meter.record("pg_status", 10us);     // bucket 0 (<= 50 us)
  meter.record("pg_status", 50us);     // bucket 0: the bound is inclusive
  meter.record("pg_status", 50001ns);  // bucket 1 (<= 100 us)
  meter.record("pg_status", 3ms);      // bucket 6 (2.5 ms < 3 ms <= 5 ms)
  meter.record("pg_status", 5s);       // bucket 15 (<= 5 s)
  meter.record("pg_status", 7s);       // bucket 16: +Inf
  meter.record("pg_status", -1ms);     // a clock that went back counts as zero: bucket 0

  const actor_metrics m = meter.snapshot();
  CHECK(m.actor == "ha_decider");
  const message_stats& s = stats_of(m, "pg_status");
  CHECK(s.count == 7);
  CHECK(s.seconds_sum == Approx(0.00001 + 0.00005 + 0.000050001 + 0.003 + 5 + 7));
  std::vector<std::uint64_t> expected(handling_time_bounds_seconds.size(), 0);
  expected[0] = 3;
  expected[1] = 1;
  expected[6] = 1;
  expected[15] = 1;
  expected[16] = 1;
  CHECK(s.buckets == expected);
  CHECK(std::accumulate(s.buckets.begin(), s.buckets.end(), std::uint64_t{0}) == s.count);
}

TEST_CASE("a type shows with count 0 once it has a slot, and types come sorted", "[metrics]") {
  actor_meter meter("rest_frontend");
  const auto call = meter.slot("rest_call");
  const auto snapshot = meter.slot("node_snapshot");
  CHECK(meter.slot("rest_call").index == call.index);  // the same slot again, not a new one
  meter.record(call, 120us);
  meter.record(call, 80us);

  const actor_metrics m = meter.snapshot();
  REQUIRE(m.messages.size() == 2);
  CHECK(m.messages[0].type == "node_snapshot");
  CHECK(m.messages[0].count == 0);
  CHECK(m.messages[0].seconds_sum == 0);
  CHECK(m.messages[0].buckets == std::vector<std::uint64_t>(handling_time_bounds_seconds.size()));
  CHECK(m.messages[1].type == "rest_call");
  CHECK(m.messages[1].count == 2);
  CHECK(m.messages[1].buckets[1] == 1);
  CHECK(m.messages[1].buckets[2] == 1);
  meter.record(snapshot, 1us);
  CHECK(meter.snapshot().messages[0].count == 1);
}

TEST_CASE("gauges, counters and states", "[metrics]") {
  actor_meter meter("dcs_session");
  CHECK(meter.snapshot().mailbox_depth == 0);
  CHECK(meter.snapshot().named.empty());
  meter.set_mailbox_depth(4);
  meter.set_actions_in_flight(1);
  meter.count(metric_families::dcs_reconnects_total);
  meter.count(metric_families::dcs_reconnects_total);
  meter.set_state(metric_families::dcs_session_state, "connecting");
  meter.set_state(metric_families::dcs_session_state, "connected");  // replaces connecting
  meter.count(metric_families::decisions_total, "promote");
  meter.count(metric_families::decisions_total, "demote", 3);
  meter.count(metric_families::decisions_total, "promote");

  const actor_metrics m = meter.snapshot();
  CHECK(m.mailbox_depth == 4);
  CHECK(m.actions_in_flight == 1);
  // Sorted by family, then label value.
  const std::vector<named_value> expected{
      {"praetor_dcs_reconnects_total", "", 2},
      {"praetor_dcs_session_state", "connected", 1},
      {"praetor_decisions_total", "demote", 3},
      {"praetor_decisions_total", "promote", 2},
  };
  CHECK(m.named == expected);
}

TEST_CASE("the named families are found by name", "[metrics]") {
  CHECK(metric_families::find_named("praetor_decisions_total") ==
        &metric_families::decisions_total);
  CHECK(metric_families::find_named("praetor_dcs_session_state")->label == "state");
  CHECK(metric_families::find_named("praetor_actor_messages_total") == nullptr);  // built in
  CHECK(metric_families::find_named("nope") == nullptr);
}

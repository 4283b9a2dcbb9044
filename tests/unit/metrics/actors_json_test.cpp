// GET /actors JSON, the quantile estimate behind its p99, and the JSON form of actor_metrics
// (the message an actor sends) round-tripping through Boost.Describe.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "actors/rest_frontend/actor_metrics_text.hpp"

using namespace praetor;
namespace json = boost::json;

namespace {

std::vector<std::uint64_t> buckets(
    std::initializer_list<std::pair<std::size_t, std::uint64_t>> at) {
  std::vector<std::uint64_t> out(handling_time_bounds_seconds.size(), 0);
  for (auto [i, n] : at) out[i] = n;
  return out;
}

template <class T>
T round_trip(const T& x) {
  return json::value_to<T>(json::parse(json::serialize(json::value_from(x))));
}

actor_metrics decider() {
  actor_metrics a;
  a.actor = "ha_decider";
  a.messages = {{"loop_tick", 0, 0, buckets({})},
                {"pg_status", 4, 0.0008, buckets({{1, 1}, {2, 2}, {3, 1}})}};
  a.mailbox_depth = 2;
  a.actions_in_flight = 1;
  a.named = {{"praetor_decisions_total", "demote", 1},
             {"praetor_decisions_total", "promote", 2},
             {"praetor_dcs_reconnects_total", "", 5}};
  return a;
}

}  // namespace

TEST_CASE("GET /actors: one object per actor, for people", "[metrics]") {
  actor_metrics rest_frontend;
  rest_frontend.actor = "rest_frontend";
  const json::object o = rest::actors_json({decider(), rest_frontend});

  REQUIRE(o.size() == 2);
  const json::object& d = o.at("ha_decider").as_object();
  CHECK(d.at("mailbox_depth") == 2);
  CHECK(d.at("actions_in_flight") == 1);

  const json::object& pg = d.at("messages").at("pg_status").as_object();
  CHECK(pg.at("count") == 4);
  CHECK(pg.at("seconds_sum").as_double() == Approx(0.0008));
  CHECK(pg.at("mean_seconds").as_double() == Approx(0.0002));
  // Rank 3.96 of 4 lies in the 250-500 us bucket, which holds the 4th message.
  CHECK(pg.at("p99_seconds").as_double() == Approx(0.00025 + 0.00025 * 0.96));
  CHECK(pg.at("buckets") == json::object{{"0.0001", 1}, {"0.00025", 2}, {"0.0005", 1}});

  const json::object& tick = d.at("messages").at("loop_tick").as_object();
  CHECK(tick.at("count") == 0);
  CHECK(tick.at("mean_seconds").is_null());
  CHECK(tick.at("p99_seconds").is_null());
  CHECK(tick.at("buckets") == json::object{});

  CHECK(d.at("counters") ==
        json::object{{"praetor_decisions_total", json::object{{"demote", 1}, {"promote", 2}}},
                     {"praetor_dcs_reconnects_total", 5}});

  CHECK(json::serialize(o.at("rest_frontend")) ==
        R"({"mailbox_depth":0,"actions_in_flight":0,"messages":{},"counters":{}})");
  CHECK(rest::actors_json({}).empty());
}

TEST_CASE("quantiles from buckets, as Prometheus' histogram_quantile", "[metrics]") {
  message_stats m{"x", 10, 0, buckets({{0, 10}})};
  CHECK(rest::handling_time_quantile(m, 0.5) == Approx(0.000025));  // halfway into 0..50 us
  CHECK(rest::handling_time_quantile(m, 1.0) == Approx(0.00005));

  m.buckets = buckets({{0, 9}, {16, 1}});               // one message above 5 s
  CHECK(rest::handling_time_quantile(m, 0.99) == 5.0);  // +Inf: the largest finite bound
  CHECK(rest::handling_time_quantile(m, 0.9) == Approx(0.00005));

  m.buckets = buckets({{13, 100}});  // 0.5 s .. 1 s
  m.count = 100;
  CHECK(rest::handling_time_quantile(m, 0.99) == Approx(0.5 + 0.5 * 0.99));

  CHECK(rest::handling_time_quantile(message_stats{"y", 0, 0, buckets({})}, 0.99) == 0);
}

TEST_CASE("actor_metrics round-trips through JSON", "[metrics][messages]") {
  const actor_metrics a = decider();
  CHECK(round_trip(a) == a);
  CHECK(round_trip(actor_metrics{}) == actor_metrics{});
  const json::value v = json::value_from(a);
  CHECK(v.at("actor") == "ha_decider");
  CHECK(v.at("messages").at(1).at("buckets").as_array().size() == 17);
  CHECK(v.at("named").at(2) == json::object{{"family", "praetor_dcs_reconnects_total"},
                                            {"label_value", ""},
                                            {"value", 5}});
}

// The lock holder's history key: written once per timeline after a promotion, in Patroni's
// shape, keeping what the DCS already knew about older switches.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "actors/ha/decide.hpp"
#include "actors/ha/publication.hpp"
#include "messages/iso_time.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;

namespace {
ha_inputs leader_on_timeline(std::uint32_t tl) {
  auto in = running_node(pg_role::primary);
  add_member(in, member("n1", 5001, "master"));
  set_leader(in, "n1", session_of_n1);
  in.pg.tl = timeline{tl};
  for (std::uint32_t parent = 1; parent < tl; ++parent)
    in.pg.history.push_back(
        {timeline{parent}, lsn{0x3000000ull * parent + 0xa0}, "no recovery target specified"});
  in.pg.history_mtime_ms = t0 - 5000;
  return in;
}
}  // namespace

TEST_CASE("history: after a promotion the new timeline's switch is written with time and leader",
          "[decide][history]") {
  auto in = leader_on_timeline(2);
  auto h = ha::history_publication(in);
  REQUIRE(h);
  CHECK(boost::json::serialize(h->history) == R"([[1,50331808,"no recovery target specified",")" +
                                                  format_iso_time(t0 - 5000) + R"(","n1"]])");

  SECTION("decide() sends it once") {
    auto d = ha::decide(in);
    CHECK(count_commands<write_history>(d) == 1);
    in.memory = d.next;
    CHECK(count_commands<write_history>(ha::decide(in)) == 0);
  }
  SECTION("nothing when the DCS already has this timeline's line") {
    in.view->history = h->history;
    CHECK_FALSE(ha::history_publication(in));
  }
  SECTION("nothing before the history file is read") {
    in.pg.history.clear();
    CHECK_FALSE(ha::history_publication(in));
  }
}

TEST_CASE("history: older lines keep the DCS's time and leader, trimmed to max_timelines_history",
          "[decide][history]") {
  auto in = leader_on_timeline(3);
  in.view->history = boost::json::array{boost::json::array{
      1, 0x30000a0, "no recovery target specified", "2026-01-01T00:00:00+00:00", "n2"}};
  auto h = ha::history_publication(in);
  REQUIRE(h);
  REQUIRE(h->history.size() == 2);
  CHECK(h->history[0].as_array().size() == 5);
  CHECK(h->history[0].as_array()[4] == "n2");
  CHECK(h->history[1].as_array()[4] == "n1");

  in.view->config = boost::json::object{{"max_timelines_history", 1}};
  auto trimmed = ha::history_publication(in);
  REQUIRE(trimmed);
  REQUIRE(trimmed->history.size() == 1);
  CHECK(trimmed->history[0].as_array()[0] == 2);
}

TEST_CASE("history: a primary on timeline 1 empties a stale key", "[decide][history]") {
  auto in = leader_on_timeline(1);
  CHECK_FALSE(ha::history_publication(in));
  in.view->history = boost::json::array{boost::json::array{1, 5, "x"}};
  auto h = ha::history_publication(in);
  REQUIRE(h);
  CHECK(h->history.empty());
}

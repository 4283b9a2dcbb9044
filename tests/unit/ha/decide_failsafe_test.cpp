// Failsafe mode: the leader keeps the failsafe key; without the DCS the primary goes on while
// every member it lists accepts POST /failsafe, and demotes otherwise; a replica that accepted
// does not race; a member the key does not list never races.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "actors/ha/failsafe.hpp"
#include "actors/ha/fence_lease.hpp"
#include "tests/unit/ha/scenario.hpp"

using namespace praetor;
using namespace praetor::ha;
using namespace praetor::test;

namespace {

boost::json::object three_members() {
  return {{"n1", "http://127.0.0.1:6001/patroni"},
          {"n2", "http://127.0.0.1:6002/patroni"},
          {"n3", "http://127.0.0.1:6003/patroni"}};
}

// n1 the primary with the lock, failsafe mode on, the key listing the three members.
ha_inputs failsafe_primary() {
  auto in = running_node(pg_role::primary);
  in.settings.failsafe_mode = true;
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  set_leader(in, "n1", session_of_n1);
  in.view->failsafe = three_members();
  return in;
}

// The same primary, its session lost at t0.
ha_inputs without_dcs() {
  auto in = failsafe_primary();
  return apply_event(
      in, dcs_session_status{session_state::disconnected, session_of_n1, t0, "connection loss"},
      t0);
}

failsafe_answers answers(std::uint64_t round, bool n2, bool n3) {
  return {round,
          {{"n2", n2, n2 ? "" : "answered 500 'Running as a leader'"},
           {"n3", n3, n3 ? "" : "refused"}}};
}

}  // namespace

TEST_CASE("the leader writes the failsafe key when the members change", "[decide][failsafe]") {
  auto in = failsafe_primary();
  in.view->failsafe.reset();
  auto d = decide(in);
  auto* w = find_command<write_failsafe>(d);
  REQUIRE(w);
  CHECK(w->members == three_members());
  in.memory = d.next;
  CHECK(count_commands<write_failsafe>(decide(in)) == 0);  // sent, not yet in the view
  in.view->failsafe = three_members();
  in.memory.failsafe_sent.reset();
  CHECK(count_commands<write_failsafe>(decide(in)) == 0);  // the view has it
  SECTION("a failed write is sent again") {
    in.view->failsafe.reset();
    in.memory = d.next;
    in = apply_event(in, dcs_result{"write_failsafe", false, "connection loss"}, t0);
    CHECK(find_command<write_failsafe>(decide(in)));
  }
  SECTION("failsafe mode off: no key") {
    in.view->failsafe.reset();
    in.settings.failsafe_mode = false;
    CHECK(count_commands<write_failsafe>(decide(in)) == 0);
  }
}

TEST_CASE("without the DCS the primary asks every member of the failsafe key at once",
          "[decide][failsafe][safety]") {
  auto in = without_dcs();
  auto first = decide(in);
  INFO(first.reason);
  auto* ping = find_command<failsafe_ping>(first);
  REQUIRE(ping);
  REQUIRE(ping->members.size() == 2);
  CHECK(ping->members[0].name == "n2");
  CHECK(ping->members[0].api_url == "http://127.0.0.1:6002/patroni");
  CHECK_THAT(ping->body, Catch::Contains("\"name\":\"n1\""));
  CHECK(count_commands<demote_postgres>(first) == 0);
  in.memory = first.next;

  SECTION("all accept: it goes on past retry_timeout, asking again every loop") {
    in = apply_event(in, answers(ping->round, true, true), t0 + 100);
    auto d = decide(in);
    CHECK(d.reason ==
          "continue to run as a leader because failsafe mode is enabled and all members are "
          "accessible");
    in.memory = d.next;
    CHECK(failsafe_active(in));
    // The fence's lease is renewed although the lock cannot be confirmed.
    REQUIRE(fence_lease_ms(in));
    CHECK(*fence_lease_ms(in) > 0);
    in.now_ms = t0 + 10'000;  // retry_timeout, and a loop later: a new round, no demote
    auto later = decide(in);
    CHECK(count_commands<demote_postgres>(later) == 0);
    CHECK(find_command<failsafe_ping>(later));
    CHECK_THAT(later.reason, Catch::StartsWith("continue to run as a leader"));
  }
  SECTION("one refuses: demoted at retry_timeout, with the reason") {
    in = apply_event(in, answers(ping->round, true, false), t0 + 100);
    auto d = decide(in);
    CHECK(count_commands<demote_postgres>(d) == 0);  // not before retry_timeout
    CHECK_THAT(d.reason, Catch::Contains("'n3' refused"));
    in.memory = d.next;
    CHECK_FALSE(fence_lease_ms(in));  // no renewal: the lease runs out
    in.now_ms = t0 + 10'000;
    auto late = decide(in);
    INFO(late.reason);
    auto* demote = find_command<demote_postgres>(late);
    REQUIRE(demote);
    CHECK(demote->mode == demote_mode::offline);
    CHECK_THAT(late.reason, Catch::StartsWith("demoting self because DCS is not accessible"));
  }
  SECTION("a member that runs as a primary itself refuses") {
    in = apply_event(in, answers(ping->round, false, true), t0 + 100);
    in.now_ms = t0 + 10'000;
    auto d = decide(in);
    CHECK(find_command<demote_postgres>(d));
    CHECK_THAT(d.reason, Catch::Contains("Running as a leader"));
  }
}

TEST_CASE("a primary the failsafe key does not list demotes as without failsafe mode",
          "[decide][failsafe]") {
  auto in = without_dcs();
  in.view->failsafe = boost::json::object{{"n2", "http://127.0.0.1:6002/patroni"}};
  auto early = decide(in);
  CHECK(count_commands<failsafe_ping>(early) == 0);
  in.now_ms = t0 + 10'000;
  auto d = decide(in);
  CHECK(find_command<demote_postgres>(d));
  CHECK_THAT(d.reason, Catch::Contains("not in the failsafe key"));
}

TEST_CASE("a cluster of one goes on without asking anybody", "[decide][failsafe]") {
  auto in = without_dcs();
  in.view->failsafe = boost::json::object{{"n1", "http://127.0.0.1:6001/patroni"}};
  in.now_ms = t0 + 10'000;
  auto d = decide(in);
  CHECK(count_commands<demote_postgres>(d) == 0);
  CHECK(count_commands<failsafe_ping>(d) == 0);
  CHECK_THAT(d.reason, Catch::StartsWith("continue to run as a leader"));
}

TEST_CASE("POST /failsafe: a replica accepts and then does not race for ttl",
          "[decide][failsafe]") {
  auto in = running_node(pg_role::replica);
  in.settings.failsafe_mode = true;
  add_member(in, member("n2", 5002, "master"));
  in.view->failsafe = three_members();
  CHECK(answer_failsafe_notice(in) == failsafe_reply{200, "Accepted"});
  in = apply_event(in, failsafe_notice{"n2", "postgres://127.0.0.1:5002/postgres", "x", {}}, t0);
  CHECK(failsafe_active(in));
  // The DCS comes back without the lock (the primary's session expired): no race.
  auto d = decide(in);
  CHECK(count_commands<probe_peers>(d) == 0);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("'n2' runs as the primary in failsafe mode"));
  in.now_ms = t0 + 30'000;  // ttl later
  CHECK_FALSE(failsafe_active(in));
  CHECK(find_command<probe_peers>(decide(in)));

  SECTION("a primary refuses, and so does a member with failsafe mode off") {
    auto p = running_node(pg_role::primary);
    p.settings.failsafe_mode = true;
    CHECK(answer_failsafe_notice(p) == failsafe_reply{500, "Running as a leader"});
    p.settings.failsafe_mode = false;
    CHECK(answer_failsafe_notice(p).status == 502);
  }
}

TEST_CASE("a member the failsafe key does not list never races", "[decide][failsafe]") {
  auto in = running_node(pg_role::replica);
  in.settings.failsafe_mode = true;
  in.view->failsafe = boost::json::object{{"n2", "http://127.0.0.1:6002/patroni"}};
  auto d = decide(in);
  CHECK(count_commands<probe_peers>(d) == 0);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("not in the failsafe key"));
  SECTION("listed: it asks the others, the key's members too") {
    in.view->failsafe = three_members();
    auto asked = decide(in);
    auto* probe = find_command<probe_peers>(asked);
    REQUIRE(probe);
    CHECK(probe->members.size() == 2);  // n2 and n3, known only from the key
  }
}

TEST_CASE("rounds that never come back end failsafe mode after two loops",
          "[decide][failsafe][safety]") {
  auto in = without_dcs();
  auto first = decide(in);
  in.memory = first.next;
  in = apply_event(in, answers(find_command<failsafe_ping>(first)->round, true, true), t0 + 50);
  in.memory = decide(in).next;  // accepted: active
  // From now on no answer arrives; a new round goes out every loop.
  for (std::int64_t t = t0 + 10'000; t <= t0 + 22'500; t += 2'500) {
    in.now_ms = t;
    in.memory = decide(in).next;
  }
  in.now_ms = t0 + 25'000;
  auto d = decide(in);
  INFO(d.reason);
  CHECK(find_command<demote_postgres>(d));
  CHECK_THAT(d.reason, Catch::Contains("no answer to POST /failsafe"));
  CHECK(d.next.failsafe_active_ms == 0);
}

#include "actors/ha/apply_event.hpp"

#include <catch2/catch.hpp>

#include "actors/ha/decide.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;

TEST_CASE("a new DCS session forgets the published member record", "[apply_event]") {
  auto in = fresh_node();
  in.memory.published_member = member("n1", 5001);
  auto same =
      ha::apply_event(in, dcs_session_status{session_state::connected, session_of_n1, t0, ""}, t0);
  CHECK(same.memory.published_member);
  auto fresh = ha::apply_event(in, dcs_session_status{session_state::connected, 0x77, t0, ""}, t0);
  CHECK_FALSE(fresh.memory.published_member);
  CHECK(fresh.session.session_id == 0x77);
}

TEST_CASE("a late copy of an older session status does not undo a newer one", "[apply_event]") {
  auto in = fresh_node();
  in.session = {session_state::connecting, 0, t0, "connecting", 0, 7};
  // The client's thread reports the session; dcs_session's copy of the older status, with a
  // new detail, arrives after it.
  auto live = ha::apply_event(
      in, dcs_session_status{session_state::connected, session_of_n1, t0 + 10, "", 10000, 8},
      t0 + 10);
  auto late = ha::apply_event(
      live, dcs_session_status{session_state::connecting, 0, t0, "still connecting", 0, 7},
      t0 + 11);
  CHECK(late.session.state == session_state::connected);
  CHECK(late.session.session_id == session_of_n1);
  CHECK(late.memory.dcs_lost_since_ms == 0);
  // A copy of the current status (its detail changed) is taken.
  auto detail = ha::apply_event(
      live, dcs_session_status{session_state::connected, session_of_n1, t0 + 10, "slow", 10000, 8},
      t0 + 12);
  CHECK(detail.session.detail == "slow");
}

TEST_CASE("DCS results fold into the memory", "[apply_event]") {
  auto in = fresh_node();
  in.memory.acquire_requested = true;
  auto lost = ha::apply_event(in, dcs_result{"acquire_leader", false, "node exists"}, t0);
  CHECK_FALSE(lost.memory.acquire_requested);
  CHECK(lost.memory.last_dcs_failure == "acquire_leader: node exists");
  auto won = ha::apply_event(in, dcs_result{"race_initialize", true, ""}, t0);
  CHECK(won.memory.race == initialize_race::won);
  CHECK(won.memory.last_dcs_failure.empty());
}

TEST_CASE("the loop tick schedules the next loop and every event sets the clock", "[apply_event]") {
  auto in = fresh_node();
  auto t = ha::apply_event(in, loop_tick{}, t0 + 500);
  CHECK(t.now_ms == t0 + 500);
  CHECK(t.memory.next_loop_ms == t0 + 500 + 10'000);
}

TEST_CASE("a won lock is ours at once: a replica promotes on the DCS result, not the next view",
          "[apply_event]") {
  auto in = running_node(pg_role::replica);
  add_member(in, member("n2", 5002));
  in.memory.acquire_requested = true;
  in = ha::apply_event(in, dcs_result{"acquire_leader", true, ""}, t0);
  REQUIRE(in.view->leader);
  CHECK(in.view->leader->name == "n1");
  CHECK(in.view->leader->owner_session == session_of_n1);
  CHECK_FALSE(in.memory.acquire_requested);
  auto d = ha::decide(in);
  CHECK(find_command<promote_postgres>(d));
}

TEST_CASE("a lost lock race leaves the view alone", "[apply_event]") {
  auto in = running_node(pg_role::replica);
  in.memory.acquire_requested = true;
  in = ha::apply_event(in, dcs_result{"acquire_leader", false, "node exists"}, t0);
  CHECK_FALSE(in.view->leader);
  CHECK_FALSE(in.memory.acquire_requested);
}

TEST_CASE("a lost initialize race is retried only when the winner gives the key back",
          "[apply_event]") {
  auto in = fresh_node();
  in.memory.race = initialize_race::lost;
  cluster_view with_key;
  with_key.initialize = "";
  in = ha::apply_event(in, with_key, t0);
  CHECK(in.memory.race == initialize_race::lost);
  in = ha::apply_event(in, cluster_view{}, t0 + 1);
  CHECK(in.memory.race == initialize_race::not_tried);
}

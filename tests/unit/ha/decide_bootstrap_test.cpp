// decide(), bootstrap rows of the decision table (docs/architecture.md, "The main scenarios, room
// by room").
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

TEST_CASE("no cluster view yet: wait, send nothing", "[decide][bootstrap]") {
  auto in = fresh_node();
  in.view.reset();
  auto d = decide(in);
  CHECK(d.commands.empty());
  CHECK_THAT(d.reason, Catch::StartsWith("waiting for the DCS"));
}

TEST_CASE("DCS session not connected: no action", "[decide][bootstrap]") {
  auto in = fresh_node();
  in.session.state = session_state::disconnected;
  auto d = decide(in);
  CHECK(d.commands.empty());
  CHECK_THAT(d.reason, Catch::StartsWith("DCS is not accessible"));
}

TEST_CASE("empty data, no initialize key: race for it and publish uninitialized",
          "[decide][bootstrap]") {
  auto in = fresh_node();
  auto d = decide(in);
  REQUIRE(find_command<race_initialize>(d));
  auto* pub = find_command<publish_member>(d);
  REQUIRE(pub);
  CHECK(pub->record.role == "uninitialized");
  CHECK(d.next.race == initialize_race::requested);
  CHECK(d.reason == "trying to bootstrap a new cluster");

  SECTION("while the race result is pending, nothing is sent twice") {
    in.memory = d.next;
    auto again = decide(in);
    CHECK(count_commands<race_initialize>(again) == 0);
    CHECK(count_commands<publish_member>(again) == 0);
  }
}

TEST_CASE("won the initialize race: bootstrap PostgreSQL once", "[decide][bootstrap]") {
  auto in = fresh_node();
  in.memory.race = initialize_race::requested;
  in.view->initialize = "";
  in = ha::apply_event(in, dcs_result{"race_initialize", true, ""}, t0 + 5);
  auto d = decide(in);
  auto* b = find_command<bootstrap_postgres>(d);
  REQUIRE(b);
  CHECK(b->seq == 1);
  CHECK(d.next.bootstrapping);

  SECTION("the supervisor has not taken it up yet: not sent again") {
    in.memory = d.next;
    auto again = decide(in);
    CHECK(count_commands<bootstrap_postgres>(again) == 0);
  }
}

TEST_CASE("lost the initialize race: wait for the winner", "[decide][bootstrap]") {
  auto in = fresh_node();
  in.memory.race = initialize_race::requested;
  in.view->initialize = "";
  in = ha::apply_event(in, dcs_result{"race_initialize", false, "node exists"}, t0);
  auto d = decide(in);
  CHECK(count_commands<bootstrap_postgres>(d) == 0);
  CHECK(count_commands<race_initialize>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("failed to acquire initialize lock"));
}

TEST_CASE("nofailover or no bootstrap section: never race", "[decide][bootstrap]") {
  auto in = fresh_node();
  SECTION("nofailover") {
    in.settings.nofailover = true;
  }
  SECTION("no bootstrap section") {
    in.settings.can_bootstrap = false;
  }
  auto d = decide(in);
  CHECK(count_commands<race_initialize>(d) == 0);
  CHECK(d.reason == "waiting for leader to bootstrap");
}

TEST_CASE("no leader, a replica method marked no_leader: create the member from it",
          "[decide][bootstrap]") {
  auto in = fresh_node();
  in.settings.can_clone_without_leader = true;
  in.view->initialize = "7300000000000000001";  // the cluster exists; its leader is away
  auto d = decide(in);
  auto* c = find_command<clone_postgres>(d);
  REQUIRE(c);
  CHECK(c->source.host.empty());
  CHECK(d.reason == "trying to bootstrap (without leader)");

  SECTION("a failed attempt is tried again once per loop_wait") {
    in.memory = d.next;
    in.pg.accepted_seq = in.memory.last_pg_seq;
    in.pg.last_error = "replica method restore: /bin/restore exited with code 1";
    in.now_ms += 1000;
    auto first = decide(in);
    REQUIRE(find_command<clone_postgres>(first));  // the first retry is due at once
    in.memory = first.next;
    in.pg.accepted_seq = in.memory.last_pg_seq;
    in.now_ms += 1000;
    CHECK(find_command<clone_postgres>(decide(in)) == nullptr);
    in.now_ms += 10'000;
    CHECK(find_command<clone_postgres>(decide(in)) != nullptr);
  }
  SECTION("not while another member bootstraps the cluster") {
    in.view->initialize = "";
    CHECK(find_command<clone_postgres>(decide(in)) == nullptr);
  }
  SECTION("without such a method: wait") {
    in.settings.can_clone_without_leader = false;
    auto w = decide(in);
    CHECK(find_command<clone_postgres>(w) == nullptr);
    CHECK(w.reason == "waiting for leader to bootstrap");
  }
}

TEST_CASE("a leader exists: clone from it at once", "[decide][bootstrap]") {
  auto in = fresh_node();
  in.view->initialize = "7300000000000000001";
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  auto* c = find_command<clone_postgres>(d);
  REQUIRE(c);
  CHECK(c->source.name == "n2");
  CHECK(c->source.host == "127.0.0.1");
  CHECK(c->source.port == 5002);
  CHECK(d.reason == "trying to bootstrap from leader 'n2'");
}

TEST_CASE("a running replica tagged clonefrom is preferred as the clone source",
          "[decide][bootstrap]") {
  auto in = fresh_node();
  add_member(in, member("n2", 5002, "master"));
  auto n3 = member("n3", 5003);
  // true, or any value Python takes as true: Patroni publishes the tag as written
  n3.tags["clonefrom"] =
      GENERATE(boost::json::value(true), boost::json::value("true"), boost::json::value(1));
  add_member(in, n3);
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  auto* c = find_command<clone_postgres>(d);
  REQUIRE(c);
  CHECK(c->source.name == "n3");
  CHECK(d.reason == "trying to bootstrap from replica 'n3'");
}

TEST_CASE("a clonefrom tag that Python takes as false is no clone source", "[decide][bootstrap]") {
  auto in = fresh_node();
  add_member(in, member("n2", 5002, "master"));
  auto n3 = member("n3", 5003);
  n3.tags["clonefrom"] =
      GENERATE(boost::json::value(false), boost::json::value(""), boost::json::value(0));
  add_member(in, n3);
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  auto* c = find_command<clone_postgres>(d);
  REQUIRE(c);
  CHECK(c->source.name == "n2");
}

TEST_CASE("an action in flight: no second command to the supervisor", "[decide][bootstrap]") {
  auto in = fresh_node();
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  in.pg.action = "clone";
  in.pg.state = "creating replica";
  auto d = decide(in);
  CHECK(count_commands<clone_postgres>(d) == 0);
  CHECK(d.reason == "waiting for clone to finish");
  auto* pub = find_command<publish_member>(d);
  REQUIRE(pub);
  CHECK(pub->record.state == "creating replica");
}

TEST_CASE("bootstrap finished: write initialize and config, take the lock", "[decide][bootstrap]") {
  auto in = running_node(pg_role::primary);
  in.view->initialize = "";
  in.memory.race = initialize_race::won;
  in.memory.bootstrapping = true;
  in.memory.last_pg_seq = 1;
  in.pg.accepted_seq = 1;
  auto d = decide(in);
  auto* init = find_command<write_initialize>(d);
  REQUIRE(init);
  CHECK(init->sysid == "7300000000000000001");
  auto* cfg = find_command<write_config>(d);
  REQUIRE(cfg);
  CHECK(cfg->config == in.settings.bootstrap_dcs);
  CHECK(find_command<acquire_leader>(d));
  CHECK_FALSE(d.next.bootstrapping);
  CHECK(d.reason == "initialized a new cluster");
}

TEST_CASE("bootstrap failed: give the initialize key back, clean up, then shut down",
          "[decide][bootstrap]") {
  auto in = fresh_node();
  in.view->initialize = "";
  in.memory.race = initialize_race::won;
  in.memory.bootstrapping = true;
  in.memory.last_pg_seq = 1;
  in.pg.accepted_seq = 1;
  SECTION("initdb failed: the data directory is still empty") {
    in.pg.state = "initdb failed";
    in.pg.last_error = "initdb exited with code 1";
  }
  SECTION("the first start failed: what initdb made is never started again") {
    in.pg.data_dir_empty = false;
    in.pg.state = "start failed";
    in.pg.last_error = "initdb exited with code 1";  // the supervisor's words, whatever they are
  }
  auto d = decide(in);
  CHECK(find_command<cancel_initialize>(d));
  auto* abandon = find_command<abandon_bootstrap>(d);
  REQUIRE(abandon);
  CHECK(abandon->seq == 2);
  CHECK(count_commands<bootstrap_postgres>(d) == 0);
  CHECK(count_commands<start_postgres>(d) == 0);
  CHECK(count_commands<shut_down>(d) == 0);  // not before the supervisor is done
  CHECK(d.reason ==
        "removing initialize key after failed attempt to bootstrap the cluster: "
        "initdb exited with code 1");

  in.memory = d.next;
  in.pg.accepted_seq = 2;
  in.pg.action = "abandon bootstrap";
  auto waiting = decide(in);
  CHECK(waiting.commands.size() <= 1);  // at most the member record
  CHECK(count_commands<shut_down>(waiting) == 0);
  CHECK(count_commands<start_postgres>(waiting) == 0);

  in.memory = waiting.next;
  in.pg.action.clear();
  in.pg.state = "stopped";
  in.pg.data_dir_empty = true;
  auto done = decide(in);
  auto* stop = find_command<shut_down>(done);
  REQUIRE(stop);
  CHECK(stop->reason == "Failed to bootstrap cluster: initdb exited with code 1");
  CHECK(count_commands<bootstrap_postgres>(done) == 0);
  CHECK(count_commands<race_initialize>(done) == 0);

  in.memory = done.next;
  CHECK(count_commands<shut_down>(decide(in)) == 0);  // once
}

TEST_CASE("lost the race but the view does not show the key yet: do not race again",
          "[decide][bootstrap]") {
  auto in = fresh_node();
  in.memory.race = initialize_race::lost;
  auto d = decide(in);
  CHECK(count_commands<race_initialize>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("failed to acquire initialize lock"));
}

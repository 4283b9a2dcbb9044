// Permanent logical slots against real PostgreSQL 15: the slot manager creates one on the
// primary, the supervisor copies it to a replica (state file over SQL, restart), and the
// replica's slot manager advances the copy to the position the primary's consumer confirmed,
// so that after a failover the consumer goes on where it was (Patroni 3.0.2's behaviour).
#include <catch2/catch.hpp>

#include "actors/postgres_supervisor/postgres_supervisor.hpp"
#include "actors/slot_manager/slot_manager.hpp"
#include "tests/integration/postgres/pg_nodes.hpp"
#include "tests/support/pg_test_env.hpp"

using namespace praetor;
using namespace std::chrono_literals;

using test::is_running_as;
using test::node;
using test::pg_node_settings;
using test::query;
using test::query_value;
using test::shutdown;
using test::start_node;

TEST_CASE("a permanent logical slot is created on the primary, copied to and advanced on a replica",
          "[postgres][integration][slots]") {
  test::pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto logical = [](postgres_settings s) {
    s.parameters["wal_level"] = "logical";
    s.parameters["hot_standby_feedback"] = "on";
    return s;
  };
  auto p =
      start_node(sys, logical(pg_node_settings(tmp.path(), "node1", test::free_loopback_port())));
  auto r =
      start_node(sys, logical(pg_node_settings(tmp.path(), "node2", test::free_loopback_port())));
  auto p_inbox = std::make_shared<test::decider_inbox>();
  auto r_inbox = std::make_shared<test::decider_inbox>();
  auto p_decider = sys.spawn(test::fake_decider, p_inbox);
  auto r_decider = sys.spawn(test::fake_decider, r_inbox);
  auto p_slots = sys.spawn<caf::detached>(slot_manager, p_decider, p.settings);
  auto r_slots = sys.spawn<caf::detached>(slot_manager, r_decider, r.settings);
  struct guard_t {
    caf::actor_system& sys;
    node &p, &r;
    slot_manager_actor &p_slots, &r_slots;
    ha_decider_actor &p_decider, &r_decider;
    ~guard_t() {
      shutdown(sys, p_slots);
      shutdown(sys, r_slots);
      shutdown(sys, r.sup);
      shutdown(sys, p.sup);
      shutdown(sys, r.decider);
      shutdown(sys, p.decider);
      shutdown(sys, p_decider);
      shutdown(sys, r_decider);
    }
  } guard{sys, p, r, p_slots, r_slots, p_decider, r_decider};

  const logical_slot cdc{"cdc", "postgres", "test_decoding", {}};
  caf::anon_send(p.sup, bootstrap_postgres{1});
  REQUIRE(p.inbox->wait_status(is_running_as(pg_role::primary), 60s));
  caf::anon_send(p_slots, reconcile_slots{{"node2"}, {}, true});
  caf::anon_send(r.sup, clone_postgres{1, {"node1", "127.0.0.1", p.settings.port}});
  REQUIRE(r.inbox->wait_status(
      [](const pg_status& s) { return s.state == "running" && s.streaming; }, 60s));

  // The slot comes after the replica: the replica streamed the WAL it starts from (a slot
  // older than the replica's base backup would need WAL the replica never had).
  caf::anon_send(p_slots, reconcile_slots{{"node2"}, {cdc}, true});
  auto created = p_inbox->wait_report(
      [](const slot_report& rep) { return rep.confirmed.count("cdc") == 1; }, 15s);
  REQUIRE(created);
  CHECK(created->errors.empty());
  CHECK(
      query_value(p.settings, "SELECT plugin FROM pg_replication_slots WHERE slot_name = 'cdc'") ==
      "test_decoding");

  // A plugin PostgreSQL does not have: the failure names the slot and the plugin, the others
  // are kept as they are.
  const logical_slot broken{"broken", "postgres", "no_such_plugin", {}};
  caf::anon_send(p_slots, reconcile_slots{{"node2"}, {broken, cdc}, true});
  auto refused = p_inbox->wait_report(
      [](const slot_report& rep) {
        return !rep.errors.empty() &&
               rep.errors[0].find("broken (database postgres, plugin no_such_plugin)") !=
                   std::string::npos;
      },
      15s);
  REQUIRE(refused);
  CHECK(refused->confirmed.count("cdc") == 1);
  caf::anon_send(p_slots, reconcile_slots{{"node2"}, {cdc}, true});

  // A replica cannot create a logical slot: it reports it missing, once the primary published
  // a position for it.
  logical_slot wanted = cdc;
  wanted.advance_to = created->confirmed.at("cdc");
  caf::anon_send(r_slots, reconcile_slots{{}, {wanted}, false});
  auto missing =
      r_inbox->wait_report([](const slot_report& rep) { return !rep.missing.empty(); }, 15s);
  REQUIRE(missing);
  CHECK(missing->missing == std::vector<std::string>{"cdc"});

  caf::anon_send(r.sup, copy_logical_slots{2, {"node1", "127.0.0.1", p.settings.port}, {cdc}});
  auto copied = r.inbox->wait_status(
      [](const pg_status& s) {
        return s.accepted_seq == 2 && s.action.empty() && s.state == "running" && s.streaming;
      },
      60s);
  INFO("replica: " << r.inbox->last_status().state << " / " << r.inbox->last_status().last_error);
  REQUIRE(copied);
  CHECK(copied->last_error.empty());
  CHECK(query_value(r.settings,
                    "SELECT slot_type || ' ' || database FROM pg_replication_slots WHERE "
                    "slot_name = 'cdc'") == "logical postgres");

  // A consumer reads from the primary's slot: the replica's copy follows to that position.
  REQUIRE(
      query(p.settings, "CREATE TABLE t (v int); INSERT INTO t SELECT generate_series(1, 100)").ok);
  REQUIRE(
      query(p.settings, "SELECT count(*) FROM pg_logical_slot_get_changes('cdc', NULL, NULL)").ok);
  caf::anon_send(p_slots, slot_heartbeat{});
  auto consumed = p_inbox->wait_report(
      [&](const slot_report& rep) {
        return rep.confirmed.count("cdc") && rep.confirmed.at("cdc") > wanted.advance_to;
      },
      15s);
  REQUIRE(consumed);
  wanted.advance_to = consumed->confirmed.at("cdc");
  caf::anon_send(r_slots, reconcile_slots{{}, {wanted}, false});
  auto advanced = r_inbox->wait_report(
      [&](const slot_report& rep) {
        return rep.confirmed.count("cdc") && rep.confirmed.at("cdc") == wanted.advance_to;
      },
      30s);  // retried every beat until the replica has replayed that far
  REQUIRE(advanced);
  CHECK(advanced->missing.empty());
  CHECK(query_value(r.settings,
                    "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = "
                    "'cdc'") == wanted.advance_to.to_string());
}

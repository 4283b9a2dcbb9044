// Every message's JSON form round-trips, and the Patroni-facing forms read what Patroni writes.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "messages/ha.hpp"
#include "messages/settings.hpp"

using namespace praetor;
namespace json = boost::json;

template <class T>
T round_trip(const T& x) {
  return json::value_to<T>(json::parse(json::serialize(json::value_from(x))));
}

TEST_CASE("lsn text form", "[messages]") {
  CHECK(lsn{0x3000060}.to_string() == "0/3000060");
  CHECK(lsn::parse("1/A0")->value == ((1ull << 32) | 0xA0));
  CHECK_FALSE(lsn::parse("zz"));
  CHECK_FALSE(lsn::parse("1/"));
}

TEST_CASE("member record: Patroni's JSON, tolerant reading", "[messages]") {
  auto m = member_from_znode(
      "node1",
      R"({"conn_url":"postgres://10.0.0.2:5432/postgres","api_url":"http://10.0.0.2:8008/patroni",)"
      R"("state":"running","role":"replica","version":"3.0.2","xlog_location":50331744,"timeline":2,"unknown":1})");
  CHECK(m.name == "node1");
  CHECK(m.host() == "10.0.0.2");
  CHECK(m.port() == 5432);
  CHECK(m.xlog_location == lsn{50331744});
  CHECK(m.tl == timeline{2});
  CHECK(
      json::serialize(member_to_json(m)) ==
      R"({"conn_url":"postgres://10.0.0.2:5432/postgres","api_url":"http://10.0.0.2:8008/patroni",)"
      R"("state":"running","role":"replica","version":"3.0.2","xlog_location":50331744,"timeline":2})");
  CHECK(round_trip(m) == m);

  auto scheduled = member_from_znode(
      "node4",
      R"({"state":"running","scheduled_restart":{"schedule":"2030-03-18T10:00:00+00:00"}})");
  CHECK(scheduled.scheduled_restart.at("schedule") == "2030-03-18T10:00:00+00:00");
  CHECK(member_to_json(scheduled).at("scheduled_restart") == scheduled.scheduled_restart);
  CHECK(round_trip(scheduled) == scheduled);

  auto garbage = member_from_znode("node2", "{not json");
  CHECK(garbage.name == "node2");
  CHECK(garbage.conn_url.empty());
  auto legacy = member_from_znode(
      "node3",
      "postgres://u:p@10.0.0.3:5433/postgres?application_name=http://10.0.0.3:8008/patroni");
  CHECK(legacy.port() == 5433);
  CHECK(legacy.api_url == "http://10.0.0.3:8008/patroni");
}

TEST_CASE("failover key: JSON and legacy text", "[messages]") {
  auto f = failover_from_znode(R"({"leader":"a","member":"b"})", znode_version{3});
  REQUIRE(f);
  CHECK(f->member == "b");
  CHECK(f->version == znode_version{3});
  CHECK(failover_from_znode("a:b", {})->leader == "a");
  CHECK_FALSE(failover_from_znode("{}", {}));
}

TEST_CASE("slot names follow Patroni", "[messages]") {
  CHECK(slot_name_for_member("Node-1.a") == "node_1_a");
  CHECK(slot_name_for_member("n@1") == "nu00641");
  CHECK(slot_name_for_member(std::string(70, 'a')).size() == 63);
}

TEST_CASE("the sync key is read and written in Patroni's form", "[messages][sync]") {
  auto k = sync_from_znode(R"({"leader":"n1","sync_standby":"n3, n2"})", znode_version{2});
  CHECK(k.leader == "n1");
  CHECK(k.members == std::vector<std::string>{"n3", "n2"});
  CHECK(k.version.value == 2);
  CHECK(k.matches("N2"));  // case-insensitive, as Patroni's matches()
  CHECK(k.matches("n1"));
  CHECK_FALSE(k.names_standby("n1"));
  CHECK(sync_from_znode(R"({"leader":"n1","sync_standby":null})", {}).members.empty());
  CHECK(sync_from_znode("{}", {}).empty());
  CHECK(sync_from_znode("garbage", {}).empty());
  CHECK(sync_from_znode(R"({"leader":5})", {}).empty());
  CHECK(sync_to_znode("n1", {"n3", "n2"}) == R"({"leader":"n1","sync_standby":"n2,n3"})");
  CHECK(sync_to_znode("n1", {}) == R"({"leader":"n1","sync_standby":null})");
  CHECK(sync_to_znode("", {"n2"}) == "{}");
  // Quorum commit: Patroni 4's form, read back; a quorum that is no number reads as 0.
  CHECK(sync_to_znode("n1", {"n3", "n2"}, 1) ==
        R"({"leader":"n1","quorum":1,"sync_standby":"n2,n3"})");
  CHECK(sync_from_znode(R"({"leader":"n1","quorum":1,"sync_standby":"n2,n3"})", {}).quorum == 1);
  CHECK(sync_from_znode(R"({"leader":"n1","quorum":"x","sync_standby":"n2"})", {}).quorum == 0);
  CHECK(sync_from_znode(R"({"leader":"n1","quorum":-3})", {}).quorum == 0);
}

TEST_CASE("every message round-trips through JSON", "[messages]") {
  cluster_view v;
  v.initialize = "7300000000000000001";
  v.config = json::object{{"ttl", 30}};
  v.leader = leader_lock{"n1", 77};
  member_record m;
  m.name = "n1";
  m.tags["nofailover"] = true;
  v.members.push_back(m);
  v.failover = failover_request{"n1", "n2", "", znode_version{4}};
  v.optime = lsn{99};
  v.sync = sync_key{"n1", {"n2", "n3"}, znode_version{6}};
  CHECK(round_trip(v) == v);

  pg_status pg;
  pg.role = pg_role::replica;
  pg.replication.push_back({"replicator", "n2", "127.0.0.1", "streaming", "sync", 1, 4242, lsn{300},
                            lsn{200}, lsn{100}});
  pg.synchronous_standby_names = "n2";
  pg.synchronous_commit = "remote_apply";
  pg.scheduled_restart = json::object{{"schedule", "2030-03-18T10:00:00+00:00"}};
  CHECK(round_trip(pg) == pg);
  CHECK(round_trip(postgres_settings{}) == postgres_settings{});
  CHECK(round_trip(dcs_settings{{"127.0.0.1:2181"}, "/service/demo", "n1", 30, 10, 10}) ==
        dcs_settings{{"127.0.0.1:2181"}, "/service/demo", "n1", 30, 10, 10});

  for (const ha_command& c : std::vector<ha_command>{
           race_initialize{}, write_initialize{"1"}, cancel_initialize{},
           write_config{json::object{{"a", 1}}, znode_version{2}}, acquire_leader{},
           refresh_leader{}, release_leader{lsn{5}}, publish_member{m}, publish_status{lsn{6}, {}},
           bootstrap_postgres{1}, clone_postgres{2, {"n2", "h", 5}}, start_postgres{3, true, {}},
           follow_upstream{4, {"n3", "h", 6}}, stop_postgres{5, stop_mode::immediate},
           reconcile_slots{{"n2"}, {}, true}, reinitialize_postgres{6, {"n2", "h", 5}, true},
           abandon_bootstrap{7}, shut_down{"Failed to bootstrap cluster: x"},
           copy_logical_slots{8, {"n2", "h", 5}, {{"cdc", "postgres", "test_decoding", lsn{7}}}}})
    CHECK(command_from_json(json::parse(json::serialize(command_to_json(c)))) == c);

  for (const ha_event& e : std::vector<ha_event>{
           v, dcs_session_status{session_state::expired, 5, 6, "x"}, pg,
           dcs_result{"acquire_leader", true, ""},
           slot_report{{"a"}, {}, {"b"}, {{"c", lsn{9}}}, {"d"}}, loop_tick{},
           peer_statuses{3,
                         {peer_status{"n2", true, false, lsn{7}, timeline{2}, false, false, ""}}},
           reinitialize_request{true}})
    CHECK(event_from_json(json::parse(json::serialize(event_to_json(e)))) == e);

  CHECK_THROWS(event_from_json(json::parse(R"({"no_such_event":{}})")));
}

TEST_CASE("a history line's numbers are read as Patroni writes them, garbage as none",
          "[messages][history]") {
  auto line = boost::json::parse(R"([1, 67108864, "no recovery target specified", "t", "n1"])");
  CHECK(praetor::history_number(line, 0) == std::optional<std::uint64_t>(1));
  CHECK(praetor::history_number(line, 1) == std::optional<std::uint64_t>(67108864));
  CHECK_FALSE(praetor::history_number(line, 2));  // a string
  CHECK_FALSE(praetor::history_number(line, 7));  // missing
  CHECK_FALSE(praetor::history_number(boost::json::parse("[-1]"), 0));
  CHECK_FALSE(praetor::history_number(boost::json::parse(R"({"a": 1})"), 0));
}

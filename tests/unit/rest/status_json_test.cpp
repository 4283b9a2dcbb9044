// GET /patroni bodies (docs/compatibility.md, "REST API"): field order and types for a primary, a
// replica and a stopped PostgreSQL.
#include "actors/rest_frontend/status_json.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
using praetor::rest::test::now_ms;
namespace json = boost::json;

namespace {
std::vector<std::string> keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& kv : o) out.emplace_back(kv.key());
  return out;
}
using strings = std::vector<std::string>;
}  // namespace

TEST_CASE("status JSON of a running primary", "[status_json]") {
  auto o = status_json(test::primary_snapshot(), now_ms);
  CHECK(keys(o) == strings{"state", "postmaster_start_time", "role", "server_version", "xlog",
                           "timeline", "replication", "dcs_last_seen", "database_system_identifier",
                           "patroni"});
  CHECK(o.at("state") == "running");
  CHECK(o.at("postmaster_start_time") == "2024-05-01 10:06:40.250000+00:00");
  CHECK(o.at("role") == "master");
  CHECK(o.at("server_version").as_int64() == 150002);
  CHECK(keys(o.at("xlog").as_object()) == strings{"location"});
  CHECK(o.at("xlog").at("location").to_number<std::uint64_t>() == 50331744u);
  CHECK(o.at("timeline").to_number<int>() == 2);
  const auto& rows = o.at("replication").as_array();
  REQUIRE(rows.size() == 1);
  CHECK(keys(rows[0].as_object()) == strings{"usename", "application_name", "client_addr", "state",
                                             "sync_state", "sync_priority"});
  CHECK(rows[0].at("application_name") == "node2");
  CHECK(rows[0].at("sync_priority").as_int64() == 0);
  CHECK(o.at("dcs_last_seen").as_int64() == (now_ms - 1000) / 1000);
  CHECK(o.at("database_system_identifier") == "7360000000000000001");
  CHECK(json::serialize(o.at("patroni")) == R"({"version":"3.0.2","scope":"demo"})");
}

TEST_CASE("status JSON of a running replica", "[status_json]") {
  auto s = test::replica_snapshot();
  auto o = status_json(s, now_ms);
  CHECK(keys(o) == strings{"state", "postmaster_start_time", "role", "server_version", "xlog",
                           "timeline", "dcs_last_seen", "tags", "database_system_identifier",
                           "patroni"});
  CHECK(o.at("role") == "replica");
  CHECK(o.at("postmaster_start_time") == "2024-05-01 10:06:41+00:00");  // Python drops .000000
  const auto& xlog = o.at("xlog").as_object();
  CHECK(keys(xlog) ==
        strings{"received_location", "replayed_location", "replayed_timestamp", "paused"});
  CHECK(xlog.at("received_location").to_number<std::uint64_t>() == 50331700u);
  CHECK(xlog.at("replayed_location").to_number<std::uint64_t>() == 50331644u);
  CHECK(xlog.at("replayed_timestamp").is_null());
  CHECK(xlog.at("paused") == false);
  CHECK(o.at("tags").at("zone") == "b");

  SECTION("received falls back to replayed") {
    s.pg.received_location = lsn{0};
    auto x = status_json(s, now_ms).at("xlog");
    CHECK(x.at("received_location").to_number<std::uint64_t>() == 50331644u);
  }
  SECTION("no leader: cluster_unlocked after the timeline") {
    s.view->leader.reset();
    auto k = keys(status_json(s, now_ms));
    CHECK(k == strings{"state", "postmaster_start_time", "role", "server_version", "xlog",
                       "timeline", "cluster_unlocked", "dcs_last_seen", "tags",
                       "database_system_identifier", "patroni"});
  }
  SECTION("failsafe mode active: failsafe_mode_is_active after cluster_unlocked") {
    s.view->leader.reset();
    s.failsafe_active = true;
    auto o2 = status_json(s, now_ms);
    CHECK(o2.at("failsafe_mode_is_active") == true);
    auto k = keys(o2);
    CHECK(k == strings{"state", "postmaster_start_time", "role", "server_version", "xlog",
                       "timeline", "cluster_unlocked", "failsafe_mode_is_active", "dcs_last_seen",
                       "tags", "database_system_identifier", "patroni"});
  }
  SECTION("pending restart comes from our member record; pause from the config") {
    s.view->members[0].pending_restart = true;  // node2 is first (unsorted on purpose)
    (*s.view->config)["pause"] = true;
    auto p = status_json(s, now_ms);
    CHECK(p.at("pending_restart") == true);
    CHECK(p.at("pause") == true);
    CHECK(keys(p).back() == "pause");
  }
  SECTION("a scheduled restart shows without its postmaster start time") {
    s.pg.scheduled_restart = boost::json::object{{"schedule", "2030-03-18T10:00:00+00:00"},
                                                 {"role", "primary"},
                                                 {"postmaster_start_time", "2030-03-17 ..."}};
    auto p = status_json(s, now_ms);
    CHECK(p.at("scheduled_restart") ==
          boost::json::object{{"schedule", "2030-03-18T10:00:00+00:00"}, {"role", "primary"}});
  }
  SECTION("unknown timeline is null") {
    s.pg.tl = timeline{0};
    CHECK(status_json(s, now_ms).at("timeline").is_null());
  }
}

TEST_CASE("status JSON when PostgreSQL is not running", "[status_json]") {
  auto s = test::stopped_snapshot();
  auto o = status_json(s, now_ms);
  CHECK(keys(o) ==
        strings{"state", "role", "dcs_last_seen", "tags", "database_system_identifier", "patroni"});
  CHECK(o.at("state") == "stopped");
  CHECK(o.at("role") == "replica");

  s.view.reset();
  s.pg.data_dir_empty = true;
  s.pg.sysid.clear();
  s.tags = {};
  o = status_json(s, now_ms);
  CHECK(keys(o) == strings{"state", "role", "cluster_unlocked", "dcs_last_seen", "patroni"});
  CHECK(o.at("role") == "uninitialized");
  CHECK(o.at("cluster_unlocked") == true);

  auto r = test::replica_snapshot();
  r.pg.role = pg_role::unknown;  // running, but its status could not be read
  o = status_json(r, now_ms);
  CHECK(o.at("state") == "unknown");
  CHECK_FALSE(o.contains("xlog"));
}

TEST_CASE("status JSON of a member whose required watchdog failed: watchdog_failed after patroni",
          "[status_json][watchdog]") {
  auto s = test::replica_snapshot();
  s.pg.watchdog_failed = true;
  auto o = status_json(s, now_ms);
  CHECK(keys(o) == strings{"state", "postmaster_start_time", "role", "server_version", "xlog",
                           "timeline", "dcs_last_seen", "tags", "database_system_identifier",
                           "patroni", "watchdog_failed"});
  CHECK(o.at("watchdog_failed") == true);
  s.pg.watchdog_failed = false;
  CHECK_FALSE(status_json(s, now_ms).contains("watchdog_failed"));
}

TEST_CASE("Python datetime text", "[status_json]") {
  CHECK(python_utc_datetime(1'714'558'830'123) == "2024-05-01 10:20:30.123000+00:00");
  CHECK(python_utc_datetime(0) == "1970-01-01 00:00:00+00:00");
}

TEST_CASE("status JSON of a synchronous standby says sync_standby after xlog",
          "[status_json][sync]") {
  auto s = test::sync_replica_snapshot("node2");
  auto o = status_json(s, now_ms);
  CHECK(keys(o) == strings{"state", "postmaster_start_time", "role", "server_version", "xlog",
                           "sync_standby", "timeline", "dcs_last_seen", "tags",
                           "database_system_identifier", "patroni"});
  CHECK(o.at("sync_standby") == true);

  SECTION("only the members the sync key names") {
    CHECK_FALSE(status_json(test::sync_replica_snapshot("node3"), now_ms).contains("sync_standby"));
  }
  SECTION("only in synchronous mode") {
    (*s.view->config)["synchronous_mode"] = false;
    CHECK_FALSE(status_json(s, now_ms).contains("sync_standby"));
  }
  SECTION("only with a fresh view") {
    s.dcs_last_seen_ms = now_ms - 31'000;
    CHECK_FALSE(status_json(s, now_ms).contains("sync_standby"));
  }
  SECTION("only for a replica") {
    auto p = test::sync_primary_snapshot();
    p.view->sync.members = {"node1"};
    CHECK_FALSE(status_json(p, now_ms).contains("sync_standby"));
  }
  SECTION("not when PostgreSQL does not answer") {
    s.pg.state = "stopped";
    CHECK_FALSE(status_json(s, now_ms).contains("sync_standby"));
  }
}

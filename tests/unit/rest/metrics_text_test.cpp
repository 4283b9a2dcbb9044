// GET /metrics (docs/compatibility.md, "REST API"): Patroni 3.0.2's 20 metrics in its order with
// its HELP and TYPE lines, values that agree with GET /patroni for the same snapshot, and the
// routing of GET, HEAD, OPTIONS and POST on /metrics.
#include "actors/rest_frontend/metrics_text.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "actors/rest_frontend/router.hpp"
#include "actors/rest_frontend/status_json.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
using praetor::rest::test::now_ms;
namespace json = boost::json;

namespace {

using strings = std::vector<std::string>;

strings lines_of(const std::string& text) {
  strings out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// "name{scope=...} value" -> name -> value (the quirky "name {scope=...}" too).
std::map<std::string, std::string> samples(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& line : lines_of(text)) {
    if (line.starts_with("#")) continue;
    auto name_end = line.find_first_of(" {");
    out[line.substr(0, name_end)] = line.substr(line.rfind(' ') + 1);
  }
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text))
    if (l == line) return true;
  return false;
}

// The 20 metrics of Patroni 3.0.2, in its order, with their types.
const std::vector<std::pair<std::string, std::string>> patroni_302_metrics{
    {"patroni_version", "gauge"},
    {"patroni_postgres_running", "gauge"},
    {"patroni_postmaster_start_time", "gauge"},
    {"patroni_master", "gauge"},
    {"patroni_primary", "gauge"},
    {"patroni_xlog_location", "counter"},
    {"patroni_standby_leader", "gauge"},
    {"patroni_replica", "gauge"},
    {"patroni_sync_standby", "gauge"},
    {"patroni_xlog_received_location", "counter"},
    {"patroni_xlog_replayed_location", "counter"},
    {"patroni_xlog_replayed_timestamp", "gauge"},
    {"patroni_xlog_paused", "gauge"},
    {"patroni_postgres_server_version", "gauge"},
    {"patroni_cluster_unlocked", "gauge"},
    {"patroni_failsafe_mode_is_active", "gauge"},
    {"patroni_postgres_timeline", "counter"},
    {"patroni_dcs_last_seen", "gauge"},
    {"patroni_pending_restart", "gauge"},
    {"patroni_is_paused", "gauge"},
};

// Every metric is HELP, TYPE, sample, in Patroni's order, and nothing else is there.
void check_shape(const std::string& text, const std::string& scope) {
  REQUIRE(text.ends_with("\n"));
  const strings lines = lines_of(text);
  REQUIRE(lines.size() == 3 * patroni_302_metrics.size());
  for (std::size_t i = 0; i < patroni_302_metrics.size(); ++i) {
    const auto& [name, type] = patroni_302_metrics[i];
    INFO(name);
    CHECK(lines[3 * i].starts_with("# HELP " + name + " "));
    CHECK(lines[3 * i + 1] == "# TYPE " + name + " " + type);
    const std::string space = name == "patroni_postgres_server_version" ? " " : "";
    CHECK(lines[3 * i + 2].starts_with(name + space + "{scope=\"" + scope + "\"} "));
  }
}

// The values GET /patroni gives for the same snapshot and time, read as Patroni's
// do_GET_metrics reads its status dict.
void check_agrees_with_status(const node_snapshot& s) {
  const auto m = samples(metrics_text(s, now_ms));
  const json::object st = status_json(s, now_ms);
  auto num = [](const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_number() ? json::serialize(*v) : std::string("0");
  };
  auto flag = [](const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_bool() && v->get_bool() ? std::string("1") : std::string("0");
  };
  const json::object none;
  const json::object& xlog = st.contains("xlog") ? st.at("xlog").as_object() : none;
  const std::string role(st.at("role").as_string());
  CHECK(m.at("patroni_postgres_running") == (st.at("state") == "running" ? "1" : "0"));
  CHECK(m.at("patroni_primary") == (role == "master" ? "1" : "0"));
  CHECK(m.at("patroni_master") == m.at("patroni_primary"));
  CHECK(m.at("patroni_replica") == (role == "replica" ? "1" : "0"));
  CHECK(m.at("patroni_standby_leader") == (role == "standby_leader" ? "1" : "0"));
  CHECK(m.at("patroni_xlog_location") == num(xlog, "location"));
  CHECK(m.at("patroni_xlog_received_location") == num(xlog, "received_location"));
  CHECK(m.at("patroni_xlog_replayed_location") == num(xlog, "replayed_location"));
  CHECK(m.at("patroni_xlog_paused") == flag(xlog, "paused"));
  CHECK(m.at("patroni_postgres_server_version") == num(st, "server_version"));
  CHECK(m.at("patroni_postgres_timeline") == num(st, "timeline"));
  CHECK(m.at("patroni_cluster_unlocked") == flag(st, "cluster_unlocked"));
  CHECK(m.at("patroni_dcs_last_seen") == num(st, "dcs_last_seen"));
  CHECK(m.at("patroni_pending_restart") == flag(st, "pending_restart"));
  CHECK(m.at("patroni_is_paused") == flag(st, "pause"));
  CHECK(m.at("patroni_sync_standby") == flag(st, "sync_standby"));
  CHECK(m.at("patroni_postmaster_start_time") ==
        (st.contains("postmaster_start_time") ? python_epoch_seconds(s.pg.postmaster_start_ms)
                                              : "0"));
}

// A daemon that has just started: PostgreSQL not set up, no cluster view yet.
node_snapshot unknown_cluster_snapshot() {
  node_snapshot s;
  s.scope = "demo";
  s.name = "node3";
  return s;
}

}  // namespace

TEST_CASE("epoch seconds print as Python prints the float", "[metrics]") {
  CHECK(python_epoch_seconds(1'714'558'000'250) == "1714558000.25");
  CHECK(python_epoch_seconds(1'714'558'001'000) == "1714558001.0");
  CHECK(python_epoch_seconds(1'714'558'001'007) == "1714558001.007");
  CHECK(python_epoch_seconds(1'714'558'001'120) == "1714558001.12");
  CHECK(python_epoch_seconds(0) == "0.0");
}

TEST_CASE("metrics of a running primary: Patroni 3.0.2's text, line for line", "[metrics]") {
  const auto s = test::primary_snapshot();
  const std::string text = metrics_text(s, now_ms);
  check_shape(text, "demo");
  CHECK(text == R"(# HELP patroni_version Patroni semver without periods.
# TYPE patroni_version gauge
patroni_version{scope="demo"} 030002
# HELP patroni_postgres_running Value is 1 if Postgres is running, 0 otherwise.
# TYPE patroni_postgres_running gauge
patroni_postgres_running{scope="demo"} 1
# HELP patroni_postmaster_start_time Epoch seconds since Postgres started.
# TYPE patroni_postmaster_start_time gauge
patroni_postmaster_start_time{scope="demo"} 1714558000.25
# HELP patroni_master Value is 1 if this node is the leader, 0 otherwise.
# TYPE patroni_master gauge
patroni_master{scope="demo"} 1
# HELP patroni_primary Value is 1 if this node is the leader, 0 otherwise.
# TYPE patroni_primary gauge
patroni_primary{scope="demo"} 1
# HELP patroni_xlog_location Current location of the Postgres transaction log, 0 if this node is not the leader.
# TYPE patroni_xlog_location counter
patroni_xlog_location{scope="demo"} 50331744
# HELP patroni_standby_leader Value is 1 if this node is the standby_leader, 0 otherwise.
# TYPE patroni_standby_leader gauge
patroni_standby_leader{scope="demo"} 0
# HELP patroni_replica Value is 1 if this node is a replica, 0 otherwise.
# TYPE patroni_replica gauge
patroni_replica{scope="demo"} 0
# HELP patroni_sync_standby Value is 1 if this node is a sync standby replica, 0 otherwise.
# TYPE patroni_sync_standby gauge
patroni_sync_standby{scope="demo"} 0
# HELP patroni_xlog_received_location Current location of the received Postgres transaction log, 0 if this node is not a replica.
# TYPE patroni_xlog_received_location counter
patroni_xlog_received_location{scope="demo"} 0
# HELP patroni_xlog_replayed_location Current location of the replayed Postgres transaction log, 0 if this node is not a replica.
# TYPE patroni_xlog_replayed_location counter
patroni_xlog_replayed_location{scope="demo"} 0
# HELP patroni_xlog_replayed_timestamp Current timestamp of the replayed Postgres transaction log, 0 if null.
# TYPE patroni_xlog_replayed_timestamp gauge
patroni_xlog_replayed_timestamp{scope="demo"} 0
# HELP patroni_xlog_paused Value is 1 if the Postgres xlog is paused, 0 otherwise.
# TYPE patroni_xlog_paused gauge
patroni_xlog_paused{scope="demo"} 0
# HELP patroni_postgres_server_version Version of Postgres (if running), 0 otherwise.
# TYPE patroni_postgres_server_version gauge
patroni_postgres_server_version {scope="demo"} 150002
# HELP patroni_cluster_unlocked Value is 1 if the cluster is unlocked, 0 if locked.
# TYPE patroni_cluster_unlocked gauge
patroni_cluster_unlocked{scope="demo"} 0
# HELP patroni_failsafe_mode_is_active Value is 1 if the cluster is unlocked, 0 if locked.
# TYPE patroni_failsafe_mode_is_active gauge
patroni_failsafe_mode_is_active{scope="demo"} 0
# HELP patroni_postgres_timeline Postgres timeline of this node (if running), 0 otherwise.
# TYPE patroni_postgres_timeline counter
patroni_postgres_timeline{scope="demo"} 2
# HELP patroni_dcs_last_seen Epoch timestamp when DCS was last contacted successfully by Patroni.
# TYPE patroni_dcs_last_seen gauge
patroni_dcs_last_seen{scope="demo"} 1714558829
# HELP patroni_pending_restart Value is 1 if the node needs a restart, 0 otherwise.
# TYPE patroni_pending_restart gauge
patroni_pending_restart{scope="demo"} 0
# HELP patroni_is_paused Value is 1 if auto failover is disabled, 0 otherwise.
# TYPE patroni_is_paused gauge
patroni_is_paused{scope="demo"} 0
)");
  check_agrees_with_status(s);
}

TEST_CASE("metrics of a streaming replica", "[metrics]") {
  auto s = test::replica_snapshot();
  const std::string text = metrics_text(s, now_ms);
  check_shape(text, "demo");
  CHECK(has_line(text, R"(patroni_postgres_running{scope="demo"} 1)"));
  CHECK(has_line(text, R"(patroni_postmaster_start_time{scope="demo"} 1714558001.0)"));
  CHECK(has_line(text, R"(patroni_master{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_primary{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_replica{scope="demo"} 1)"));
  CHECK(has_line(text, R"(patroni_xlog_location{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_xlog_received_location{scope="demo"} 50331700)"));
  CHECK(has_line(text, R"(patroni_xlog_replayed_location{scope="demo"} 50331644)"));
  CHECK(has_line(text, R"(patroni_xlog_replayed_timestamp{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_xlog_paused{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_postgres_server_version {scope="demo"} 150002)"));
  CHECK(has_line(text, R"(patroni_postgres_timeline{scope="demo"} 2)"));
  CHECK(has_line(text, R"(patroni_cluster_unlocked{scope="demo"} 0)"));
  check_agrees_with_status(s);

  SECTION("received falls back to replayed, as in /patroni") {
    s.pg.received_location = lsn{0};
    CHECK(samples(metrics_text(s, now_ms)).at("patroni_xlog_received_location") == "50331644");
    check_agrees_with_status(s);
  }
  SECTION("pending restart from our member record, pause from the config") {
    s.view->members[0].pending_restart = true;  // node2 is first (unsorted on purpose)
    (*s.view->config)["pause"] = true;
    const std::string t = metrics_text(s, now_ms);
    CHECK(has_line(t, R"(patroni_pending_restart{scope="demo"} 1)"));
    CHECK(has_line(t, R"(patroni_is_paused{scope="demo"} 1)"));
    check_agrees_with_status(s);
  }
  SECTION("the lock-holding replica of a standby cluster is the standby leader") {
    (*s.view->config)["standby_cluster"] = json::object{{"host", "10.0.0.1"}, {"port", 5432}};
    s.has_lock = true;
    const auto m = samples(metrics_text(s, now_ms));
    CHECK(m.at("patroni_standby_leader") == "1");
    CHECK(m.at("patroni_replica") == "0");
    CHECK(m.at("patroni_primary") == "0");
    check_agrees_with_status(s);
  }
  SECTION("an unknown replica timeline is 0 (/patroni says null; Patroni would print None)") {
    s.pg.tl = timeline{0};
    CHECK(samples(metrics_text(s, now_ms)).at("patroni_postgres_timeline") == "0");
  }
  SECTION("a view older than ttl: unlocked, and dcs_last_seen says when") {
    s.dcs_last_seen_ms = now_ms - 31'000;
    const std::string t = metrics_text(s, now_ms);
    CHECK(has_line(t, R"(patroni_cluster_unlocked{scope="demo"} 1)"));
    CHECK(has_line(t, R"(patroni_dcs_last_seen{scope="demo"} 1714558799)"));
    check_agrees_with_status(s);
  }
}

TEST_CASE("metrics of a synchronous standby", "[metrics][sync]") {
  auto s = test::sync_replica_snapshot("node2");
  const std::string text = metrics_text(s, now_ms);
  check_shape(text, "demo");
  CHECK(has_line(text, R"(patroni_sync_standby{scope="demo"} 1)"));
  CHECK(has_line(text, R"(patroni_replica{scope="demo"} 1)"));
  check_agrees_with_status(s);

  SECTION("an asynchronous replica of the same cluster: 0") {
    const auto other = test::sync_replica_snapshot("node3");
    CHECK(samples(metrics_text(other, now_ms)).at("patroni_sync_standby") == "0");
    check_agrees_with_status(other);
  }
  SECTION("synchronous mode off: 0 although the sync key names it") {
    s.view->config->erase("synchronous_mode");
    CHECK(samples(metrics_text(s, now_ms)).at("patroni_sync_standby") == "0");
    check_agrees_with_status(s);
  }
  SECTION("the primary: 0") {
    const auto p = test::sync_primary_snapshot();
    CHECK(samples(metrics_text(p, now_ms)).at("patroni_sync_standby") == "0");
  }
}

TEST_CASE("metrics of a stopped PostgreSQL", "[metrics]") {
  const auto s = test::stopped_snapshot();
  const std::string text = metrics_text(s, now_ms);
  check_shape(text, "demo");
  CHECK(has_line(text, R"(patroni_postgres_running{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_postmaster_start_time{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_primary{scope="demo"} 0)"));
  // The role /patroni reports for a stopped, initialised member, as Patroni's cached role.
  CHECK(has_line(text, R"(patroni_replica{scope="demo"} 1)"));
  CHECK(has_line(text, R"(patroni_xlog_received_location{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_xlog_replayed_location{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_postgres_server_version {scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_postgres_timeline{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_cluster_unlocked{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_dcs_last_seen{scope="demo"} 1714558829)"));
  check_agrees_with_status(s);
}

TEST_CASE("metrics before any cluster view", "[metrics]") {
  const auto s = unknown_cluster_snapshot();
  const std::string text = metrics_text(s, now_ms);
  check_shape(text, "demo");
  CHECK(has_line(text, R"(patroni_version{scope="demo"} 030002)"));
  CHECK(has_line(text, R"(patroni_postgres_running{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_replica{scope="demo"} 0)"));  // "uninitialized"
  CHECK(has_line(text, R"(patroni_primary{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_cluster_unlocked{scope="demo"} 1)"));
  CHECK(has_line(text, R"(patroni_dcs_last_seen{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_pending_restart{scope="demo"} 0)"));
  CHECK(has_line(text, R"(patroni_is_paused{scope="demo"} 0)"));
  check_agrees_with_status(s);
}

TEST_CASE("GET /metrics goes to the actor, HEAD, OPTIONS and POST do not, as in Patroni",
          "[metrics]") {
  const auto s = test::primary_snapshot();
  auto route_of = [&](std::string method, std::string target) {
    http_request r;
    r.method = std::move(method);
    r.target = std::move(target);
    return route(r, s, now_ms);
  };
  auto answered = [&](std::string method, std::string target) {
    auto routed = route_of(std::move(method), std::move(target));
    REQUIRE(std::holds_alternative<http_response>(routed));
    return std::get<http_response>(routed);
  };

  // The actor adds every actor's metrics to Patroni's.
  CHECK(std::holds_alternative<hand_over>(route_of("GET", "/metrics")));
  CHECK(std::holds_alternative<hand_over>(route_of("GET", "/metrics?x=1")));
  CHECK(std::holds_alternative<hand_over>(route_of("GET", "/actors")));

  // No do_HEAD_metrics or do_OPTIONS_metrics: the health check, which fails for this path.
  auto r = answered("HEAD", "/metrics");
  CHECK(r.status == 503);
  CHECK(r.status_only);
  r = answered("OPTIONS", "/metrics");
  CHECK(r.status == 503);
  CHECK(r.status_only);
  // No do_POST_metrics: the generic POST handler.
  r = answered("POST", "/metrics");
  CHECK(r.status == 501);
}

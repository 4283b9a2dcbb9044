// The cluster's dynamic configuration on a real three-node cluster: a change written through
// PATCH /config reaches every member (a reload parameter takes effect, a restart parameter
// shows pending_restart), and pause (maintenance mode) stops an automatic failover until
// resumed.
#include <catch2/catch.hpp>
#include <thread>

#include "praetor_cluster.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {
bool every_node(praetor_cluster& c, const std::function<bool(std::size_t)>& pred) {
  for (std::size_t i = 0; i < c.nodes().size(); ++i)
    if (!pred(i)) return false;
  return true;
}

}  // namespace

TEST_CASE("a dynamic configuration change reaches every member", "[cluster][config]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(180s);
  REQUIRE(primary);
  auto patch = c.http_call(*primary, "PATCH", "/config",
                           R"({"loop_wait": 3, "postgresql": {"parameters": )"
                           R"({"work_mem": "7MB", "max_connections": 110}}})");
  INFO(patch.second);
  REQUIRE(patch.first == 200);

  // work_mem reloads: every member runs with it within a loop or two.
  CHECK(eventually(30s, [&] {
    return every_node(
        c, [&](std::size_t i) { return first_value(c.query(i, "SHOW work_mem")) == "7MB"; });
  }));
  // max_connections needs a restart: every member says so, in /patroni and its member record.
  CHECK(eventually(30s, [&] {
    return every_node(c, [&](std::size_t i) {
      return says(c.http_get(i, "/patroni"), "\"pending_restart\":true");
    });
  }));
  CHECK(first_value(c.query(*primary, "SHOW max_connections")) == "100");
  CHECK(says(c.http_get(*primary, "/cluster"), "\"pending_restart\":true"));
  for (std::size_t i = 0; i < c.nodes().size(); ++i) {
    INFO("node " << i);
    CHECK(c.log_of(i).find("applying the cluster's dynamic configuration") != std::string::npos);
    CHECK(c.log_of(i).find("loop_wait") != std::string::npos);
  }
  // The callbacks: each member was started (bootstrap or clone) and reloaded, in its role.
  for (std::size_t i = 0; i < c.nodes().size(); ++i) {
    std::string role = i == *primary ? "master" : "replica";
    INFO("node " << i << " callbacks:\n" << c.callbacks_of(i));
    CHECK(c.callbacks_of(i).find("on_start " + role + " it\n") != std::string::npos);
    CHECK(c.callbacks_of(i).find("on_reload " + role + " it\n") != std::string::npos);
  }
  // POST /restart with its conditions: a primary is not a replica; a replica with a pending
  // restart restarts and runs with the new value, its restart callback called.
  std::size_t replica = (*primary + 1) % c.nodes().size();
  auto refused = c.http_call(*primary, "POST", "/restart", R"({"role": "replica"})");
  CHECK(refused.first == 503);
  CHECK(says(refused, "restart conditions are not satisfied"));
  auto restarted = c.http_call(replica, "POST", "/restart", R"({"restart_pending": true})", 150);
  INFO(restarted.second);
  CHECK(restarted.first == 200);
  CHECK(says(restarted, "restarted successfully"));
  CHECK(first_value(c.query(replica, "SHOW max_connections")) == "110");
  CHECK(eventually(
      20s, [&] { return !says(c.http_get(replica, "/patroni"), "\"pending_restart\":true"); }));
  // The callback runs beside the answer, not before it.
  CHECK(eventually(10s, [&] {
    return c.callbacks_of(replica).find("on_restart replica it\n") != std::string::npos;
  }));
  CHECK(eventually(30s, [&] { return c.streaming_count(*primary) == "2"; }));
  // Nothing else moved: the same primary, streaming to both.
  CHECK(c.single_primary() == primary);
  CHECK(c.streaming_count(*primary) == "2");
}

TEST_CASE("pause stops an automatic failover, resume lets it happen", "[cluster][config][pause]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(180s);
  REQUIRE(primary);
  auto pause = c.http_call(*primary, "PATCH", "/config", R"({"pause": true})");
  INFO(pause.second);
  REQUIRE(pause.first == 200);
  REQUIRE(eventually(20s, [&] {
    return every_node(
        c, [&](std::size_t i) { return says(c.http_get(i, "/patroni"), "\"pause\":true"); });
  }));

  std::vector<std::size_t> others;
  for (std::size_t i = 0; i < c.nodes().size(); ++i)
    if (i != *primary) others.push_back(i);
  c.kill_node_and_postmaster(*primary);
  // The dead leader's session expires within 10 s (the test ZooKeeper's longest session);
  // well past that, nobody has taken over.
  auto until = std::chrono::steady_clock::now() + 25s;
  while (std::chrono::steady_clock::now() < until) {
    for (auto i : others) {
      INFO("node " << i);
      REQUIRE(c.in_recovery(i) == std::optional<bool>(true));
    }
    std::this_thread::sleep_for(500ms);
  }
  CHECK(c.log_of(others[0]).find("PAUSE: not racing for the leader lock") != std::string::npos);

  auto resume = c.http_call(others[0], "PATCH", "/config", R"({"pause": null})");
  INFO(resume.second);
  REQUIRE(resume.first == 200);
  std::optional<std::size_t> new_primary;
  CHECK(eventually(60s, [&] {
    int writable = 0;
    for (auto i : others)
      if (c.in_recovery(i) == std::optional<bool>(false)) {
        ++writable;
        new_primary = i;
      }
    return writable == 1;
  }));
  REQUIRE(new_primary);
  CHECK(says(c.http_get(*new_primary, "/patroni"), "\"role\":\"master\""));
  CHECK(eventually(10s, [&] {
    return c.callbacks_of(*new_primary).find("on_role_change master it\n") != std::string::npos;
  }));
}

TEST_CASE("Debian's patronictl drives edit-config, restart, pause and resume",
          "[cluster][config][patronictl]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(180s);
  REQUIRE(primary);
  const std::string ctl = "patronictl -c " + c.nodes()[0].config_path + " ";

  auto [code, out] = run_shell(ctl + "edit-config --force -p max_connections=120");
  INFO(out);
  CHECK(code == 0);
  REQUIRE(eventually(30s, [&] {
    return every_node(c, [&](std::size_t i) {
      return says(c.http_get(i, "/patroni"), "\"pending_restart\":true");
    });
  }));
  std::tie(code, out) = run_shell(ctl + "list");
  INFO(out);
  CHECK(out.find("Pending restart") != std::string::npos);

  std::tie(code, out) = run_shell(ctl + "restart it --force --pending");
  INFO(out);
  CHECK(code == 0);
  for (const auto& n : c.nodes())
    CHECK(out.find("Success: restart on member " + n.name) != std::string::npos);
  CHECK(eventually(60s, [&] {
    return every_node(
        c, [&](std::size_t i) { return first_value(c.query(i, "SHOW max_connections")) == "120"; });
  }));
  CHECK(eventually(30s, [&] { return c.single_primary() == primary; }));

  std::tie(code, out) = run_shell(ctl + "pause --wait");
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("Success: cluster management is paused") != std::string::npos);
  std::tie(code, out) = run_shell(ctl + "list");
  CHECK(out.find("Maintenance mode: on") != std::string::npos);
  std::tie(code, out) = run_shell(ctl + "resume --wait");
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("Success: cluster management is resumed") != std::string::npos);
  CHECK(
      every_node(c, [&](std::size_t i) { return !says(c.http_get(i, "/patroni"), "\"pause\""); }));
}

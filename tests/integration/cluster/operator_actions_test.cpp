// An operator's actions on one member of a real three-node cluster, as Patroni's REST API
// takes them: GET /metrics and /actors show every actor; POST /reload (and SIGHUP) applies the
// edited configuration file and keeps the running one when the file is broken; POST /reinitialize
// re-clones a replica and refuses on the leader; POST /restart with a schedule restarts at its
// time, DELETE /restart drops one; and Debian's patronictl drives reload, reinit and flush restart.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "messages/iso_time.hpp"
#include "praetor_cluster.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Rewrites the file in place (its owner and mode stay the daemon's).
void replace_in_file(const std::string& path, const std::string& from, const std::string& to) {
  auto text = read_file(path);
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::trunc) << text;
}

std::string seconds_from_now(int s) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return format_iso_time((ms / 1000 + s) * 1000);
}
}  // namespace

TEST_CASE("reload, reinitialize and scheduled restarts on a running cluster",
          "[cluster][operator]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(180s);
  REQUIRE(primary);
  const std::size_t r1 = (*primary + 1) % 3, r2 = (*primary + 2) % 3;
  const auto& n1 = c.nodes()[r1];

  // GET /metrics: Patroni's metrics, then every actor's own; GET /actors the same as JSON.
  auto metrics = c.http_get(*primary, "/metrics");
  CHECK(metrics.first == 200);
  CHECK(says(metrics, "patroni_primary{scope=\"it\"} 1"));
  for (const char* actor : {"callback_runner", "dcs_session", "ha_decider", "peer_probe",
                            "postgres_supervisor", "rest_frontend", "slot_manager"}) {
    INFO(actor);
    CHECK(says(metrics, std::string("praetor_actor_mailbox_depth{actor=\"") + actor + "\"}"));
  }
  CHECK(says(metrics, "praetor_actor_messages_total{actor=\"ha_decider\",type=\"pg_status\"}"));
  CHECK(says(metrics, "praetor_decisions_total{actor=\"ha_decider\",kind=\"publish_status\"}"));
  CHECK(says(metrics, "praetor_dcs_session_state{actor=\"dcs_session\",state=\"connected\"} 1"));
  auto actors = c.http_get(r1, "/actors");
  CHECK(actors.first == 200);
  CHECK(says(actors, "\"postgres_supervisor\":{"));

  // POST /reload: the edited file's tags and parameters apply, PostgreSQL reloads.
  replace_in_file(n1.config_path, "nofailover: false", "nofailover: true");
  replace_in_file(n1.config_path, "parameters: {unix_socket_directories",
                  "parameters: {work_mem: 9MB, unix_socket_directories");
  auto reload = c.http_call(r1, "POST", "/reload");
  CHECK(reload.first == 202);
  CHECK(reload.second == "reload scheduled");
  CHECK(eventually(20s, [&] { return first_value(c.query(r1, "SHOW work_mem")) == "9MB"; }));
  CHECK(eventually(20s, [&] {
    return says(c.http_get(*primary, "/cluster"), "\"tags\":{\"nofailover\":true}");
  }));
  CHECK(c.callbacks_of(r1).find("on_reload replica it\n") != std::string::npos);

  // SIGHUP with a broken file: the member keeps running on what it had.
  const auto& n2 = c.nodes()[r2];
  const auto good = read_file(n2.config_path);
  std::ofstream(n2.config_path, std::ios::trunc) << good << "loop_wait: [\n";
  REQUIRE(::kill(n2.pid, SIGHUP) == 0);
  CHECK(eventually(10s, [&] {
    return c.log_of(r2).find("keeping the running configuration") != std::string::npos;
  }));
  std::ofstream(n2.config_path, std::ios::trunc) << good;
  CHECK(c.node_alive(r2));
  CHECK(says(c.http_get(r2, "/patroni"), "\"state\":\"running\""));

  // POST /reinitialize: the leader refuses; a replica's data directory is cloned again.
  auto refused = c.http_call(*primary, "POST", "/reinitialize");
  CHECK(refused.first == 503);
  CHECK(refused.second == "I am the leader, can not reinitialize");
  const std::string marker = n2.dir + "/data/reinitialize-marker";
  std::ofstream(marker) << "gone after a re-clone\n";
  auto reinit = c.http_call(r2, "POST", "/reinitialize", R"({"force": false})");
  INFO(reinit.second);
  CHECK(reinit.first == 200);
  CHECK(reinit.second == "reinitialize started");
  // (pg_basebackup's own walsender streams too: wait for the replica to answer queries.)
  CHECK(eventually(90s, [&] {
    return !std::filesystem::exists(marker) && c.in_recovery(r2) == std::optional<bool>(true) &&
           c.streaming_count(*primary) == "2";
  }));
  CHECK(c.log_of(r2).find("reinitializing: removing the data directory") != std::string::npos);
  CHECK(eventually(20s, [&] { return c.single_primary() == primary; }));

  // A scheduled restart: published, one at a time, done at its time.
  const int pid_before = c.postmaster_pid(r1);
  auto scheduled =
      c.http_call(r1, "POST", "/restart", R"({"schedule": ")" + seconds_from_now(4) + R"("})");
  INFO(scheduled.second);
  CHECK(scheduled.first == 202);
  CHECK(scheduled.second == "Restart scheduled");
  CHECK(says(c.http_get(r1, "/patroni"), "\"scheduled_restart\""));
  auto second =
      c.http_call(r1, "POST", "/restart", R"({"schedule": ")" + seconds_from_now(30) + R"("})");
  CHECK(second.first == 409);
  CHECK(eventually(30s, [&] {
    int pid = c.postmaster_pid(r1);
    return pid != 0 && pid != pid_before && !says(c.http_get(r1, "/patroni"), "scheduled_restart");
  }));
  CHECK(eventually(10s, [&] {
    return c.callbacks_of(r1).find("on_restart replica it\n") != std::string::npos;
  }));

  // DELETE /restart drops a waiting one; nothing restarts.
  auto later =
      c.http_call(r1, "POST", "/restart", R"({"schedule": ")" + seconds_from_now(60) + R"("})");
  CHECK(later.first == 202);
  auto flushed = c.http_call(r1, "DELETE", "/restart");
  CHECK(flushed.first == 200);
  CHECK(flushed.second == "scheduled restart deleted");
  CHECK(c.http_call(r1, "DELETE", "/restart").first == 404);
  CHECK(eventually(10s, [&] { return !says(c.http_get(r1, "/patroni"), "scheduled_restart"); }));

  // Debian's patronictl: reload, reinit --wait, and flush restart.
  const std::string ctl = "patronictl -c " + c.nodes()[0].config_path + " ";
  auto [code, out] = run_shell(ctl + "reload it " + n1.name + " --force");
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("Reload request received for member " + n1.name) != std::string::npos);
  std::tie(code, out) = run_shell(ctl + "reinit it " + n1.name + " --force --wait");
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("Success: reinitialize for member " + n1.name) != std::string::npos);
  CHECK(out.find("Reinitialize is completed on: " + n1.name) != std::string::npos);
  CHECK(eventually(60s, [&] {
    return c.in_recovery(r1) == std::optional<bool>(true) && c.streaming_count(*primary) == "2";
  }));
  std::tie(code, out) =
      run_shell(ctl + "restart it " + n2.name + " --force --scheduled " + seconds_from_now(120));
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("Success: restart scheduled on member " + n2.name) != std::string::npos);
  std::tie(code, out) = run_shell(ctl + "list");
  CHECK(out.find("Scheduled restart") != std::string::npos);
  std::tie(code, out) = run_shell(ctl + "flush it restart --force");
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("Success: flush scheduled restart for member " + n2.name) != std::string::npos);
  CHECK(c.http_call(r2, "DELETE", "/restart").first == 404);
  CHECK(c.single_primary() == primary);

  // Scheduled, then paused: when due, the restart waits for resume, as Patroni's does.
  const int pid_paused = c.postmaster_pid(r1);
  const auto due = std::chrono::steady_clock::now() + 8s;
  auto paused_schedule =
      c.http_call(r1, "POST", "/restart", R"({"schedule": ")" + seconds_from_now(8) + R"("})");
  CHECK(paused_schedule.first == 202);
  REQUIRE(c.http_call(*primary, "PATCH", "/config", R"({"pause": true})").first == 200);
  REQUIRE(eventually(6s, [&] { return says(c.http_get(r1, "/patroni"), "\"pause\":true"); }));
  std::this_thread::sleep_until(due + 2s);
  CHECK(c.postmaster_pid(r1) == pid_paused);
  CHECK(says(c.http_get(r1, "/patroni"), "\"scheduled_restart\""));
  REQUIRE(c.http_call(*primary, "PATCH", "/config", R"({"pause": null})").first == 200);
  // Resumed: run now, or dropped as stale when resume took more than 1.5 loop_wait.
  CHECK(eventually(20s, [&] { return !says(c.http_get(r1, "/patroni"), "scheduled_restart"); }));

  // In maintenance mode a PostgreSQL stopped behind praetor's back stays stopped until an
  // operator restarts it: POST /restart starts it in the role it had, as Patroni's does.
  REQUIRE(c.http_call(*primary, "PATCH", "/config", R"({"pause": true})").first == 200);
  REQUIRE(eventually(6s, [&] { return says(c.http_get(r1, "/patroni"), "\"pause\":true"); }));
  // The restart that resume may have run is over: a postmaster killed during an action is the
  // action's failure, not a crash.
  REQUIRE(eventually(30s, [&] {
    return says(c.http_get(r1, "/patroni"), "\"state\":\"running\"") &&
           c.streaming_count(*primary) == "2";
  }));
  REQUIRE(::kill(c.postmaster_pid(r1), SIGQUIT) == 0);  // what pg_ctl stop -m immediate sends
  // once the daemon has seen the postmaster die (as patronictl list would show it)
  CHECK(eventually(10s, [&] { return says(c.http_get(r1, "/patroni"), "\"state\":\"crashed\""); }));
  CHECK(c.http_get(r1, "/replica").first == 503);
  auto restarted = c.http_call(r1, "POST", "/restart", "", 60);
  INFO(restarted.second << "\n" << c.log_of(r1));
  CHECK(restarted.first == 200);
  CHECK(eventually(30s, [&] { return c.streaming_count(*primary) == "2"; }));
  REQUIRE(c.http_call(*primary, "PATCH", "/config", R"({"pause": null})").first == 200);

  // restapi.* follows a reload too: with authentication added, unsafe requests need it.
  replace_in_file(n2.config_path, "restapi: {listen:",
                  "restapi: {authentication: {username: ops, password: it-ops}, listen:");
  CHECK(c.http_call(r2, "POST", "/reload").first == 202);
  CHECK(eventually(10s, [&] { return c.http_call(r2, "POST", "/reload").first == 401; }));
  CHECK(c.http_get(r2, "/health").first == 200);
}

#include "actors/postgres_supervisor/pg_actions.hpp"

#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "backends/postgres/connection.hpp"
#include "backends/postgres/controldata.hpp"
#include "backends/postgres/data_dir.hpp"
#include "backends/postgres/files_render.hpp"

namespace praetor {

std::string log_tail(const postgres_settings& s, std::size_t max_chars) {
  auto text = pg::read_file(postmaster_log_path(s)).value_or("");
  if (text.size() > max_chars) text = "..." + text.substr(text.size() - max_chars);
  return text;
}

bool cancelled(const action_context& ctx) {
  return ctx.progress->cancel.load();
}

namespace {

using namespace std::chrono_literals;

std::string describe_wait_status(int ws) {
  if (WIFEXITED(ws)) return "exit code " + std::to_string(WEXITSTATUS(ws));
  if (WIFSIGNALED(ws)) return "signal " + std::to_string(WTERMSIG(ws));
  return "status " + std::to_string(ws);
}

// The settings to start with: in recovery (standby.signal or recovery.signal), the command-line
// parameters the WAL needs are raised to pg_controldata's values, as Patroni does, and the
// log says so (the configuration then differs from what runs: a restart is pending).
postgres_settings settings_for_start(const action_context& ctx) {
  auto s = ctx.settings;
  std::error_code ec;
  namespace fs = std::filesystem;
  if (!fs::exists(s.data_dir + "/standby.signal", ec) &&
      !fs::exists(s.data_dir + "/recovery.signal", ec))
    return s;
  std::string error;
  auto cd = pg::read_controldata(s, ctx.user, error);
  if (!cd) {
    spdlog::warn("before the start in recovery: {}", error);
    return s;
  }
  for (const auto& [name, value] : pg::raised_for_recovery(s, *cd)) {
    spdlog::warn(
        "starting in recovery with {} = {} (pg_controldata's), not {}: the WAL replayed "
        "was written with it",
        name, value, pg::effective_parameters(s)[name]);
    s.parameters[name] = value;
  }
  return s;
}

}  // namespace

action_outcome start_postmaster(const action_context& ctx) {
  action_outcome out;
  const auto& s = ctx.settings;
  out.failed_state = "start failed";
  ctx.progress->set_state("starting");
  // After a crash the dead postmaster's backends may still hold its shared memory for a few
  // hundred ms; a postmaster started now would refuse to run. Wait for them instead.
  auto start_wait = std::chrono::steady_clock::now();
  auto attach_deadline = start_wait + std::chrono::seconds(s.pg_ctl_timeout);
  while (pg::shared_memory_attachments(s.data_dir) > 0 && !cancelled(ctx) &&
         std::chrono::steady_clock::now() < attach_deadline)
    std::this_thread::sleep_for(10ms);
  if (auto waited = std::chrono::steady_clock::now() - start_wait; waited > 10ms)
    spdlog::info("waited {} ms for the previous postmaster's processes to detach from {}",
                 std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(), s.data_dir);
  pg::spawn_spec spec;
  spec.argv = pg::postmaster_argv(settings_for_start(ctx));
  spec.log_path = postmaster_log_path(s);
  spec.user = ctx.user;
  std::string error;
  auto pm = pg::postmaster::launch(spec, ctx.on_exit, error);
  if (!pm) {
    out.error = "cannot start the postmaster: " + error;
    return out;
  }
  ctx.slot->set(pm);
  out.started_pid = pm->pid();
  spdlog::info("started postmaster pid {} on {} (log {})", pm->pid(), s.data_dir, spec.log_path);
  auto params = pg::local_superuser_params(s);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(s.pg_ctl_timeout);
  while (true) {
    if (!pm->running()) {
      out.error = "postmaster exited during start-up (" +
                  describe_wait_status(pm->wait_status().value_or(0)) + "); see " + spec.log_path +
                  ": " + log_tail(s);
      return out;
    }
    if (pg::accepts_connections(params)) break;
    if (cancelled(ctx) || std::chrono::steady_clock::now() > deadline) {
      pm->stop(stop_mode::immediate, 10s);
      out.error = "postmaster did not accept connections within pg_ctl_timeout (" +
                  std::to_string(s.pg_ctl_timeout) + " s) and was stopped; see " + spec.log_path +
                  ": " + log_tail(s);
      return out;
    }
    // Short polls: after a crash every 100 ms counts towards being writable again.
    std::this_thread::sleep_for(50ms);
  }
  out.ok = true;
  out.failed_state.clear();
  return out;
}

void record_shutdown_checkpoint(const action_context& ctx) {
  std::string error;
  auto cd = pg::read_controldata(ctx.settings, ctx.user, error);
  if (!cd) {
    spdlog::warn("after the stop: {}", error);
    return;
  }
  if (cd->cluster_state != "shut down") {
    spdlog::info("{} stopped in state \"{}\": no clean shutdown checkpoint", ctx.settings.data_dir,
                 cd->cluster_state);
    return;
  }
  ctx.progress->set_shutdown_checkpoint(cd->checkpoint);
  spdlog::info("{} shut down cleanly: shutdown checkpoint at {} on timeline {}",
               ctx.settings.data_dir, cd->checkpoint.to_string(), cd->tl.value);
}

std::string postmaster_log_path(const postgres_settings& s) {
  std::string d = s.data_dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d + ".log";
}

bool write_role_config(const action_context& ctx, bool as_primary, const upstream_member& upstream,
                       std::string& error) {
  const auto& s = ctx.settings;
  pg::replica_config rc{upstream, {}};
  if (!as_primary && !upstream.host.empty() && !s.replication.password.empty() &&
      !pg::write_pgpass(s, upstream, ctx.user, error))
    return false;
  if (!pg::write_postgresql_conf(s, as_primary ? nullptr : &rc, ctx.user, error)) return false;
  if (!pg::set_standby_signal(s.data_dir, !as_primary, ctx.user, error)) return false;
  if (!s.pg_hba.empty() && !pg::write_pg_hba(s, false, ctx.user, error)) return false;
  return true;
}

action_outcome run_start(const action_context& ctx, bool as_primary,
                         const upstream_member& upstream) {
  action_outcome out;
  out.failed_state = "start failed";
  ctx.progress->set_state("starting");
  std::string error;
  if (pg::data_dir_empty(ctx.settings.data_dir)) {
    out.error = "cannot start: data directory " + ctx.settings.data_dir +
                " is empty; bootstrap or clone first";
    return out;
  }
  if (!write_role_config(ctx, as_primary, upstream, error)) {
    out.error = error;
    return out;
  }
  return start_postmaster(ctx);
}

action_outcome run_stop(const action_context& ctx, stop_mode mode, bool primary) {
  action_outcome out;
  ctx.progress->set_state("stopping");
  auto pm = ctx.slot->get();
  const int timeout = ctx.settings.stop_timeout(primary);
  if (pm && pm->running() && !pm->stop(mode, std::chrono::seconds(timeout))) {
    out.note = "postmaster pid " + std::to_string(pm->pid()) + " did not stop within " +
               std::to_string(timeout) + " s and was killed with SIGKILL";
    spdlog::warn("{}", out.note);
  }
  record_shutdown_checkpoint(ctx);
  out.ok = true;
  return out;
}

action_outcome run_stop_foreign(const action_context& ctx, int pid) {
  action_outcome out;
  ctx.progress->set_state("stopping");
  bool clean =
      pg::stop_foreign_process(pid, SIGINT, std::chrono::seconds(ctx.settings.pg_ctl_timeout));
  out.ok = true;
  out.note = "found postmaster pid " + std::to_string(pid) + " that praetor did not start on " +
             ctx.settings.data_dir + "; stopped it " + (clean ? "fast" : "with SIGKILL") +
             " so that PostgreSQL runs as praetor's child";
  return out;
}

}  // namespace praetor

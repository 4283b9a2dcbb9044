// promote, demote and rejoin: the supervisor's failover actions, on its worker thread like the
// others in pg_actions.cpp (same contract: blocking, one at a time, outcome as a value).
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "actors/postgres_supervisor/pg_actions.hpp"
#include "backends/postgres/connection.hpp"
#include "backends/postgres/controldata.hpp"
#include "backends/postgres/data_dir.hpp"
#include "backends/postgres/divergence.hpp"
#include "backends/postgres/files_render.hpp"
#include "backends/postgres/upstream_probe.hpp"

namespace praetor {
namespace {

using namespace std::chrono_literals;

action_outcome failed(std::string failed_state, std::string error) {
  action_outcome out;
  out.failed_state = std::move(failed_state);
  out.error = std::move(error);
  return out;
}

// The upstream may be starting or promoting: a few tries, a second apart.
std::optional<pg::upstream_identity> identify_with_retries(const action_context& ctx,
                                                           const upstream_member& up,
                                                           std::string& error) {
  for (int attempt = 1; attempt <= 5; ++attempt) {
    if (auto id = pg::identify_upstream(ctx.settings, up, error)) return id;
    if (ctx.progress->cancel.load()) break;
    std::this_thread::sleep_for(1s);
  }
  return std::nullopt;
}

bool crash_recovery(const action_context& ctx, std::string& error) {
  const auto& s = ctx.settings;
  // A single-user server refuses standby mode; the replica configuration is written afterwards.
  if (!pg::set_standby_signal(s.data_dir, false, ctx.user, error)) return false;
  spdlog::info("running single-user crash recovery on {}", s.data_dir);
  auto r = pg::run_command(pg::single_user_recovery_argv(s),
                           std::chrono::seconds(std::max(60, 10 * s.pg_ctl_timeout)), ctx.user,
                           {"LANG=C", "LC_ALL=C"}, &ctx.progress->cancel);
  if (!r.ok()) {
    error = "single-user crash recovery on " + s.data_dir + " failed (exit " +
            std::to_string(r.exit_code) + ")" + (r.error.empty() ? "" : ": " + r.error) + ": " +
            r.tail();
    return false;
  }
  return true;
}

bool run_pg_rewind(const action_context& ctx, const upstream_member& up, std::string& error) {
  const auto& s = ctx.settings;
  const auto& cred = pg::rewind_credentials(s);
  std::vector<std::string> env = {"LANG=C", "LC_ALL=C", "PGOPTIONS=-c statement_timeout=0"};
  std::string passfile;
  if (!cred.password.empty()) {
    auto path = pg::write_temporary_passfile(s, "rewind", up.host, up.port, cred, ctx.user, error);
    if (!path) return false;
    passfile = *path;
    env.push_back("PGPASSFILE=" + passfile);
  }
  if (!pg::set_standby_signal(s.data_dir, false, ctx.user, error)) return false;
  spdlog::info("running pg_rewind on {} from {} as {}", s.data_dir, pg::describe_upstream(up),
               cred.username);
  auto r = pg::run_command(pg::rewind_argv(s, up), std::chrono::hours(24), ctx.user, env,
                           &ctx.progress->cancel);
  if (!passfile.empty()) std::filesystem::remove(passfile);
  if (!r.ok()) {
    error = "pg_rewind from " + pg::describe_upstream(up) + " failed (exit " +
            std::to_string(r.exit_code) + ")" + (r.error.empty() ? "" : ": " + r.error) + ": " +
            r.tail(600);
    return false;
  }
  spdlog::info("pg_rewind on {}: {}", s.data_dir, r.tail(300));
  return true;
}

action_outcome reclone(const action_context& ctx, const upstream_member& up,
                       const std::string& why) {
  spdlog::warn("removing the data directory {} and cloning it again from {}: {}",
               ctx.settings.data_dir, pg::describe_upstream(up), why);
  auto out = run_clone(ctx, up);
  if (out.ok) out.note = "re-cloned from " + pg::describe_upstream(up) + " because " + why;
  return out;
}

// A switchover candidate normally has the old leader's last WAL already: the old leader's
// walsenders wait for the standby to flush everything before its shutdown completes. This
// checks it live (the decider's view of our WAL position may be a loop old) and gives the
// receiver a moment. Returns "" when the WAL is here, else what is missing, for the log and
// the decider.
std::string wait_for_wal(pg::connection& c, lsn wanted, const std::string& data_dir) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  lsn have;
  std::string error;
  while (true) {
    // GREATEST is SQL syntax, not a pg_catalog function; it skips a NULL side.
    auto r = c.exec("SELECT greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())");
    if (!r.ok) error = r.error;
    if (r.ok && r.rows.size() == 1 && r.rows[0][0])
      if (auto at = lsn::parse(*r.rows[0][0])) have = *at;
    if (have >= wanted) return {};
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(5ms);
  }
  auto missing = "promoted " + data_dir + " with WAL up to " + have.to_string() +
                 " only, short of the old leader's shutdown checkpoint " + wanted.to_string() +
                 " after waiting 5 s: what the old leader wrote after " + have.to_string() +
                 " is not on this member" +
                 (error.empty() ? "" : " (reading the WAL position failed: " + error + ")");
  spdlog::error("promote: {}", missing);
  return missing;
}

action_outcome start_as_replica(const action_context& ctx, const upstream_member& up) {
  ctx.progress->set_state("starting");
  std::string error;
  if (!write_role_config(ctx, false, up, error)) return failed("start failed", error);
  return start_postmaster(ctx);
}

// After the stop: crash recovery when the stop was not clean, the verdict against the
// upstream's history, then pg_rewind or a re-clone as the policy allows.
action_outcome rejoin_stopped(const action_context& ctx, const upstream_member& up,
                              const divergence_policy& policy) {
  const auto& s = ctx.settings;
  ctx.progress->set_state("stopped");
  std::string error;
  if (pg::data_dir_empty(s.data_dir)) {
    spdlog::info("rejoin: {} is empty; cloning from {}", s.data_dir, pg::describe_upstream(up));
    return run_clone(ctx, up);
  }
  auto cd = pg::read_controldata(s, ctx.user, error);
  if (!cd) return failed("stopped", "rejoin: " + error);
  if (pg::needs_crash_recovery(*cd)) {
    if (!crash_recovery(ctx, error)) return failed("stopped", "rejoin: " + error);
    cd = pg::read_controldata(s, ctx.user, error);
    if (!cd) return failed("stopped", "rejoin: " + error);
  }
  auto local = pg::local_position_from(*cd);
  if (!local)
    return failed("stopped", "rejoin: cannot tell where the WAL of " + s.data_dir +
                                 " ends (pg_controldata state \"" + cd->cluster_state +
                                 "\"); reinitialize it");
  auto id = identify_with_retries(ctx, up, error);
  if (!id) return failed("stopped", "rejoin: " + error);

  pg::divergence_verdict verdict;
  bool rewind_possible = policy.use_pg_rewind;
  if (id->sysid != cd->sysid) {
    verdict = {true, "the upstream's system identifier " + id->sysid + " differs from ours (" +
                         cd->sysid + ")"};
    rewind_possible = false;
  } else {
    verdict = pg::check_divergence(*local, id->tl, pg::parse_timeline_history(id->history));
  }
  spdlog::info("rejoin {} to {}: {}", s.data_dir, pg::describe_upstream(up), verdict.reason);
  if (!verdict.diverged) return start_as_replica(ctx, up);

  const std::string what_to_do =
      "; reinitialize this member (praetorctl reinit), or set "
      "postgresql.remove_data_directory_on_rewind_failure or "
      "remove_data_directory_on_diverged_timelines";
  std::string why = verdict.reason;
  if (rewind_possible) {
    ctx.progress->set_state("rewinding");
    if (pg::ensure_checkpoint_after_promote(s, up, id->tl, error) && run_pg_rewind(ctx, up, error))
      return start_as_replica(ctx, up);
    spdlog::error("rejoin: {}", error);
    why = error;
    // Patroni's rule: after a failed rewind either key allows the re-clone.
    if (!policy.remove_data_directory_on_rewind_failure &&
        !policy.remove_data_directory_on_diverged_timelines)
      return failed("rewind failed", "rejoin: " + error + what_to_do);
  } else if (!policy.remove_data_directory_on_diverged_timelines &&
             !policy.remove_data_directory_on_rewind_failure) {
    return failed("diverged", "rejoin: " + verdict.reason + ", and " +
                                  (policy.use_pg_rewind ? std::string("pg_rewind cannot help")
                                                        : std::string("use_pg_rewind is off")) +
                                  what_to_do);
  }
  return reclone(ctx, up, why);
}

}  // namespace

action_outcome run_promote(const action_context& ctx, lsn received_at_least) {
  const auto& s = ctx.settings;
  ctx.progress->set_state("promoting");
  auto pm = ctx.slot->get();
  if (!pm || !pm->running())
    return failed("stopped", "cannot promote: PostgreSQL is not running; start it first");
  std::string error;
  // The heartbeat's connection when it still works (no new backend, no authentication), else
  // a new one.
  auto conn = ctx.conn ? ctx.conn : std::make_shared<pg::connection>();
  auto& c = *conn;
  auto rec = c.connected() ? c.exec("SELECT pg_is_in_recovery()") : pg::query_result{};
  if (!rec.ok) {
    c.close();
    if (!c.connect(pg::local_superuser_params(s), error))
      return failed("running", "cannot promote: " + error);
    rec = c.exec("SELECT pg_is_in_recovery()");
  }
  if (!rec.ok || rec.rows.size() != 1)
    return failed("running", "cannot promote: pg_is_in_recovery() failed: " + rec.error);
  std::string short_of_wal;
  if (rec.rows[0][0].value_or("") == "t") {
    if (received_at_least.value) short_of_wal = wait_for_wal(c, received_at_least, s.data_dir);
    auto t0 = std::chrono::steady_clock::now();
    // pg_promote(wait => true) looks only ten times a second: during a switchover every one of
    // those milliseconds is write outage, so signal and watch closely ourselves.
    auto r = c.exec("SELECT pg_catalog.pg_promote(false)");
    if (!r.ok || r.rows.size() != 1 || r.rows[0][0].value_or("") != "t")
      return failed("running", "pg_promote() on " + s.data_dir + " failed: " + r.error + "; see " +
                                   postmaster_log_path(s));
    const auto deadline = t0 + std::chrono::seconds(std::max(1, s.pg_ctl_timeout));
    while (true) {
      auto still = c.exec("SELECT pg_is_in_recovery()");
      if (!still.ok || still.rows.size() != 1)
        return failed("running", "after pg_promote() on " + s.data_dir +
                                     ", pg_is_in_recovery() failed: " + still.error);
      if (still.rows[0][0].value_or("") == "f") break;
      if (std::chrono::steady_clock::now() > deadline)
        return failed("running", "PostgreSQL on " + s.data_dir +
                                     " did not leave recovery within pg_ctl_timeout (" +
                                     std::to_string(s.pg_ctl_timeout) + " s); see " +
                                     postmaster_log_path(s));
      std::this_thread::sleep_for(5ms);
    }
    spdlog::info(
        "promoted {} in {} ms", s.data_dir,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count());
  } else {
    spdlog::info("promote: {} is already out of recovery", s.data_dir);
  }
  // pg_promote removed standby.signal; the recovery settings go too, so that a restart comes
  // back as a primary. The running server has no use for them any more: a reload is enough.
  if (!write_role_config(ctx, true, upstream_member{}, error))
    return failed("running", "promoted, but writing the primary's configuration failed: " + error +
                                 "; a restart would start it as a replica");
  pm->signal(SIGHUP);
  action_outcome out;
  out.ok = true;
  out.note = short_of_wal;
  return out;
}

action_outcome run_demote(const action_context& ctx, const demote_postgres& cmd) {
  const auto& s = ctx.settings;
  ctx.progress->set_state("stopping");
  if (pg::data_dir_empty(s.data_dir))
    return failed("stopped", "cannot demote: data directory " + s.data_dir + " is empty");
  if (auto pm = ctx.slot->get(); pm && pm->running()) {
    if (cmd.mode == demote_mode::graceful) {
      // The shutdown checkpoint then has little left to write: a shorter write outage.
      pg::connection c;
      std::string error;
      if (!c.connect(pg::local_superuser_params(s), error))
        spdlog::warn("demote: no CHECKPOINT before the stop: {}", error);
      else if (auto r = c.exec("CHECKPOINT"); !r.ok)
        spdlog::warn("demote: CHECKPOINT before the stop failed: {}", r.error);
    }
    auto how = cmd.mode == demote_mode::graceful || cmd.mode == demote_mode::offline
                   ? stop_mode::fast
                   : stop_mode::immediate;
    if (!pm->stop(how, std::chrono::seconds(s.stop_timeout(true))))
      spdlog::warn("demote: postmaster pid {} did not stop within {} s and was killed with SIGKILL",
                   pm->pid(), s.stop_timeout(true));
  }
  record_shutdown_checkpoint(ctx);
  if (cmd.mode == demote_mode::graceful) {
    // A switchover: the decider releases the lock with the shutdown checkpoint first, then
    // has us rejoin the new leader.
    action_outcome out;
    out.ok = true;
    return out;
  }
  if (cmd.upstream.host.empty()) return start_as_replica(ctx, cmd.upstream);
  return rejoin_stopped(ctx, cmd.upstream, cmd.policy);
}

action_outcome run_rejoin(const action_context& ctx, const rejoin_postgres& cmd) {
  const auto& s = ctx.settings;
  if (auto pm = ctx.slot->get(); pm && pm->running()) {
    ctx.progress->set_state("stopping");
    spdlog::info("rejoin: stopping PostgreSQL on {} to check it against {}", s.data_dir,
                 pg::describe_upstream(cmd.upstream));
    if (!pm->stop(stop_mode::fast, std::chrono::seconds(s.pg_ctl_timeout)))
      spdlog::warn("rejoin: postmaster pid {} did not stop within {} s and was killed with SIGKILL",
                   pm->pid(), s.pg_ctl_timeout);
  }
  return rejoin_stopped(ctx, cmd.upstream, cmd.policy);
}

}  // namespace praetor

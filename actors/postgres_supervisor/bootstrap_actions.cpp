// The bootstrap of a new cluster as Patroni 3.0.2 makes it (initdb or a custom method's
// command, the roles, post_bootstrap, bootstrap.users), and the clean-up of a failed one.
// Runs on the supervisor's worker thread.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <thread>

#include "actors/postgres_supervisor/pg_actions.hpp"
#include "backends/postgres/connection.hpp"
#include "backends/postgres/data_dir.hpp"
#include "backends/postgres/files_render.hpp"
#include "config/shell_words.hpp"

namespace praetor {
namespace {

using namespace std::chrono_literals;

// Patroni's time.strftime('%Y-%m-%d-%H-%M-%S').
std::string local_time_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d-%H-%M-%S", &local);
  return text;
}

// CREATE ROLE, or ALTER ROLE when it exists, as Patroni's create_or_update_role: `options`
// upper-cased, LOGIN added unless NOLOGIN is there, then the password.
std::string role_upsert(pg::connection& c, const std::string& name, const std::string& password,
                        std::vector<std::string> options) {
  std::string opts;
  bool login = false;
  for (auto& o : options) {
    std::transform(o.begin(), o.end(), o.begin(), ::toupper);
    login = login || o == "LOGIN" || o == "NOLOGIN";
    opts += (opts.empty() ? "" : " ") + o;
  }
  if (!login) opts += opts.empty() ? "LOGIN" : " LOGIN";
  if (!password.empty()) opts += " PASSWORD " + c.literal(password);
  return "DO $praetor$ BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = " +
         c.literal(name) + ") THEN ALTER ROLE " + c.identifier(name) + " WITH " + opts +
         "; ELSE CREATE ROLE " + c.identifier(name) + " WITH " + opts + "; END IF; END $praetor$";
}

// Runs the statements `build` makes (it may quote with the connection) over a local superuser
// connection with statement logging off: they may carry passwords, which must never reach
// PostgreSQL's log nor ours. `what` names the step in the error.
bool run_quietly(const action_context& ctx,
                 const std::function<std::vector<std::string>(pg::connection&)>& build,
                 const std::string& what, std::string& error) {
  pg::connection c;
  if (!c.connect(pg::local_superuser_params(ctx.settings), error)) {
    error = what + " failed: " + error;
    return false;
  }
  std::vector<std::string> sql = {"SET log_statement TO 'none'",
                                  "SET log_min_duration_statement TO -1",
                                  "SET synchronous_commit TO 'local'"};
  for (auto& stmt : build(c)) sql.push_back(std::move(stmt));
  for (const auto& stmt : sql) {
    auto r = c.exec(stmt);
    if (!r.ok) {
      error = what + " failed: " + r.error;  // never the statement
      return false;
    }
  }
  return true;
}

// Superuser password, replication role, rewind role (with what pg_rewind must read).
bool create_roles(const action_context& ctx, std::string& error) {
  const auto& s = ctx.settings;
  return run_quietly(
      ctx,
      [&s](pg::connection& c) {
        std::vector<std::string> sql;
        sql.push_back(role_upsert(c, s.superuser.username, s.superuser.password, {"SUPERUSER"}));
        if (!s.replication.username.empty() && s.replication.username != s.superuser.username)
          sql.push_back(
              role_upsert(c, s.replication.username, s.replication.password, {"REPLICATION"}));
        if (!s.rewind.username.empty() && s.rewind.username != s.superuser.username) {
          sql.push_back(role_upsert(c, s.rewind.username, s.rewind.password, {}));
          auto who = c.identifier(s.rewind.username);
          for (const char* fn :
               {"pg_catalog.pg_ls_dir(text, boolean, boolean)",
                "pg_catalog.pg_stat_file(text, boolean)", "pg_catalog.pg_read_binary_file(text)",
                "pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)"})
            sql.push_back(std::string("GRANT EXECUTE ON FUNCTION ") + fn + " TO " + who);
        }
        return sql;
      },
      "creating the roles of postgresql.authentication after initdb", error);
}

// bootstrap.users, except the roles postgresql.authentication already names (Patroni's rule).
bool create_bootstrap_users(const action_context& ctx, std::string& error) {
  const auto& s = ctx.settings;
  return run_quietly(
      ctx,
      [&s](pg::connection& c) {
        std::vector<std::string> sql;
        for (const auto& u : s.bootstrap_users)
          if (u.name != s.superuser.username && u.name != s.replication.username &&
              u.name != pg::rewind_credentials(s).username)
            sql.push_back(role_upsert(c, u.name, u.password, u.options));
        return sql;
      },
      "creating bootstrap.users", error);
}

// bootstrap.post_bootstrap, as Patroni's call_post_bootstrap: the script's words plus the local
// connection string (no password: a passfile carries it), synchronous_commit local. Anything
// but exit 0 fails the bootstrap.
bool run_post_bootstrap(const action_context& ctx, std::string& error) {
  const auto& s = ctx.settings;
  if (s.post_bootstrap.empty()) return true;
  const auto local = pg::local_superuser_params(s);
  std::vector<std::string> env = {"PGOPTIONS=-c synchronous_commit=local"};
  std::string passfile;
  if (!s.superuser.password.empty()) {
    auto path = pg::write_temporary_passfile(s, "post-bootstrap", local.host, local.port,
                                             s.superuser, ctx.user, error);
    if (!path) return false;
    passfile = *path;
    env.push_back("PGPASSFILE=" + passfile);
  }
  auto argv = s.post_bootstrap;
  argv.push_back(pg::format_dsn({{"dbname", local.dbname},
                                 {"user", local.user},
                                 {"host", local.host},
                                 {"port", std::to_string(local.port)}}));
  spdlog::info("running bootstrap.post_bootstrap: {}", config::quote_shell_words(argv));
  auto r = pg::run_command(argv, std::chrono::hours(24), ctx.user, env, &ctx.progress->cancel,
                           std::filesystem::current_path().string());
  if (!passfile.empty()) std::filesystem::remove(passfile);
  if (!r.ok()) {
    error = "bootstrap.post_bootstrap script " + s.post_bootstrap.front() +
            (r.error.empty() ? " returned non-zero code " + std::to_string(r.exit_code)
                             : " failed: " + r.error) +
            ": " + r.tail();
    return false;
  }
  return true;
}

}  // namespace

namespace {

// initdb with bootstrap.initdb's options and the superuser's password (through a file).
bool run_initdb(const action_context& ctx, std::string& error) {
  const auto& s = ctx.settings;
  if (!pg::ensure_private_dir(s.data_dir, ctx.user, error)) return false;
  std::string pwfile;
  if (!s.superuser.password.empty()) {
    pwfile = std::filesystem::path(s.data_dir).parent_path().string() + "/.praetor-pwfile-" +
             std::to_string(getpid());
    if (!pg::write_owned_file(pwfile, s.superuser.password + "\n", ctx.user, 0600, error))
      return false;
  }
  auto r = pg::run_command(pg::initdb_argv(s, pwfile), std::chrono::seconds(600), ctx.user,
                           {"LANG=C.UTF-8"}, &ctx.progress->cancel);
  if (!pwfile.empty()) std::filesystem::remove(pwfile);
  if (!r.ok()) {
    error = "initdb failed (exit " + std::to_string(r.exit_code) + ")" +
            (r.error.empty() ? "" : ": " + r.error) + "; check bootstrap.initdb and " + s.data_dir +
            ": " + r.tail();
    return false;
  }
  return true;
}

// Patroni's _custom_bootstrap: the method's command makes the data directory (from a backup,
// pg_basebackup of another cluster, ...); it must leave a cluster there.
bool run_bootstrap_command(const action_context& ctx, std::string& error) {
  const auto& s = ctx.settings;
  if (!pg::ensure_parent_dirs(s.data_dir, ctx.user, error)) return false;
  spdlog::info("running the custom bootstrap: {}", config::quote_shell_words(s.bootstrap_command));
  // In the daemon's folder, as Patroni runs it: the command may name a script relative to it.
  auto r = pg::run_command(s.bootstrap_command, std::chrono::hours(24), ctx.user, {},
                           &ctx.progress->cancel, std::filesystem::current_path().string());
  if (!r.ok()) {
    error = "the custom bootstrap command " + s.bootstrap_command.front() +
            (r.error.empty() ? " exited with code " + std::to_string(r.exit_code)
                             : " failed: " + r.error) +
            "; check bootstrap.method and its command: " + r.tail();
    return false;
  }
  if (pg::data_dir_empty(s.data_dir)) {
    error = "the custom bootstrap command " + s.bootstrap_command.front() + " left no cluster in " +
            s.data_dir + " (no PG_VERSION)";
    return false;
  }
  return pg::ensure_private_dir(s.data_dir, ctx.user, error);
}

// The point-in-time recovery of a custom bootstrap's recovery_conf: runs to its end (the
// promotion its recovery_target_action asks for) before the bootstrap goes on.
bool wait_for_end_of_recovery(const action_context& ctx, std::string& error) {
  ctx.progress->set_state("running custom bootstrap script");
  spdlog::info("waiting for end of recovery after bootstrap");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::hours(24);
  while (!cancelled(ctx) && std::chrono::steady_clock::now() < deadline) {
    auto pm = ctx.slot->get();
    if (!pm || !pm->running()) {
      error = "PostgreSQL stopped during the recovery of the custom bootstrap; see " +
              postmaster_log_path(ctx.settings) + ": " + log_tail(ctx.settings);
      return false;
    }
    pg::connection c;
    std::string ignored;
    if (c.connect(pg::local_superuser_params(ctx.settings), ignored)) {
      auto r = c.exec("SELECT pg_catalog.pg_is_in_recovery()");
      if (r.ok && r.rows.size() == 1 && r.rows[0][0].value_or("") == "f") return true;
    }
    std::this_thread::sleep_for(1s);
  }
  error = "the recovery of the custom bootstrap did not end";
  return false;
}

}  // namespace

action_outcome run_bootstrap(const action_context& ctx) {
  const auto& s = ctx.settings;
  const bool custom = !s.bootstrap_command.empty();
  action_outcome out;
  out.failed_state = custom ? "custom bootstrap failed" : "initdb failed";
  ctx.progress->set_state(custom ? "running custom bootstrap script" : "initializing new cluster");
  std::string error;
  if (!pg::data_dir_empty(s.data_dir)) {
    out.error = "refusing to bootstrap: data directory " + s.data_dir +
                " already holds a cluster (PG_VERSION exists); remove it or clone instead";
    return out;
  }
  if (!(custom ? run_bootstrap_command(ctx, error) : run_initdb(ctx, error))) {
    out.error = error;
    return out;
  }
  out.failed_state = "start failed";
  pg::replica_config recovery{upstream_member{}, s.bootstrap_recovery_conf};
  bool recovers = custom && !recovery.point_in_time.empty();
  // The recovery a restore prepared itself (its signal file, its settings in
  // postgresql.auto.conf) runs as it is with keep_existing_recovery_conf, and goes otherwise,
  // as in Patroni's _custom_bootstrap.
  std::error_code ec;
  const bool keep = custom && !recovers && s.bootstrap_keep_recovery;
  const bool kept_standby = keep && std::filesystem::exists(s.data_dir + "/standby.signal", ec);
  const bool kept_recovery = keep && std::filesystem::exists(s.data_dir + "/recovery.signal", ec);
  if (custom && !recovers && !keep &&
      !pg::set_recovery_signal(s.data_dir, false, ctx.user, error)) {
    out.error = error;
    return out;
  }
  if (!pg::write_pg_hba(s, true, ctx.user, error) ||
      !write_role_config(ctx, true, upstream_member{}, error) ||
      (kept_standby && !pg::set_standby_signal(s.data_dir, true, ctx.user, error)) ||
      (recovers && (!pg::write_postgresql_conf(s, &recovery, ctx.user, error) ||
                    !pg::set_recovery_signal(s.data_dir, true, ctx.user, error)))) {
    out.error = error;
    return out;
  }
  if (kept_standby || kept_recovery) {
    spdlog::info("keeping the recovery the bootstrap command prepared ({}): waiting for its end",
                 kept_standby ? "standby.signal" : "recovery.signal");
    recovers = true;
  }
  out = start_postmaster(ctx);
  if (!out.ok) return out;
  if ((recovers && !wait_for_end_of_recovery(ctx, error)) || !create_roles(ctx, error) ||
      !run_post_bootstrap(ctx, error) || !create_bootstrap_users(ctx, error)) {
    if (auto pm = ctx.slot->get()) pm->stop(stop_mode::immediate, 10s);
    out.ok = false;
    out.failed_state = "stopped";
    out.error = error;
    return out;
  }
  // The recovery settings served their purpose: the next start reads a primary's file.
  if (recovers && !write_role_config(ctx, true, upstream_member{}, error))
    spdlog::warn("after the custom bootstrap: {}", error);
  spdlog::info("bootstrapped a new cluster in {}", s.data_dir);
  return out;
}

action_outcome run_abandon_bootstrap(const action_context& ctx, bool move_data_dir) {
  const auto& s = ctx.settings;
  action_outcome out;
  out.failed_state = "bootstrap failed";
  ctx.progress->set_state("stopping");
  if (auto pm = ctx.slot->get(); pm && pm->running())
    pm->stop(stop_mode::immediate, std::chrono::seconds(s.pg_ctl_timeout));
  out.ok = true;
  if (!move_data_dir) return out;
  std::string error;
  auto moved = pg::move_data_dir_aside(s.data_dir, local_time_stamp(), error);
  if (!moved) {
    out.ok = false;
    out.error = error + "; move or remove it by hand before starting praetor again";
    return out;
  }
  if (!moved->empty()) {
    out.note = "moved the data directory of the failed bootstrap aside to " + *moved;
    spdlog::warn("{}", out.note);
  }
  return out;
}

}  // namespace praetor

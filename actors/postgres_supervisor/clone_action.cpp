// clone_postgres on the supervisor's worker thread (pg_actions.hpp's contract): Patroni's
// create_replica. The replica methods are tried in their order until one leaves a cluster in
// the data directory: pg_basebackup ("basebackup", two attempts) or a method's command (a
// restore from a backup, ...). Without a member to clone from only the methods marked
// no_leader are tried.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <thread>

#include "actors/postgres_supervisor/pg_actions.hpp"
#include "backends/postgres/data_dir.hpp"
#include "backends/postgres/files_render.hpp"
#include "backends/postgres/upstream_probe.hpp"
#include "config/shell_words.hpp"

namespace praetor {
namespace {

using namespace std::chrono_literals;

bool run_basebackup(const action_context& ctx, const upstream_member& source, std::string& error) {
  const auto& s = ctx.settings;
  pg::command_result r;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    if (attempt > 1) {
      for (int i = 0; i < 50 && !cancelled(ctx); ++i) std::this_thread::sleep_for(100ms);
    }
    if (cancelled(ctx)) break;
    if (!pg::empty_data_dir(s.data_dir, ctx.user, error)) return false;
    std::vector<std::string> env;
    if (!s.pgpass.empty()) env.push_back("PGPASSFILE=" + s.pgpass);
    r = pg::run_command(pg::basebackup_argv(s, source), std::chrono::hours(24), ctx.user, env,
                        &ctx.progress->cancel);
    if (r.ok()) return true;
    spdlog::warn("pg_basebackup from {} failed, attempt {} of 2: {}", pg::describe_upstream(source),
                 attempt, r.tail(300));
  }
  error = "pg_basebackup from " + pg::describe_upstream(source) + " failed (exit " +
          std::to_string(r.exit_code) + ")" + (r.error.empty() ? "" : ": " + r.error) +
          "; check that it runs and that the replication user may connect: " + r.tail();
  return false;
}

// The method's command, in the daemon's folder as Patroni runs it (it may name a script relative
// to it), after the data directory is removed unless keep_data: a restore may want to create it.
bool run_method_command(const action_context& ctx, const replica_method& m,
                        const upstream_member& source, std::string& error) {
  const auto& s = ctx.settings;
  if (!pg::data_dir_empty(s.data_dir) || std::filesystem::exists(s.data_dir)) {
    if (m.keep_data) {
      spdlog::info("replica method {}: leaving data directory {} uncleaned", m.name, s.data_dir);
    } else {
      std::error_code ec;
      std::filesystem::remove_all(s.data_dir, ec);
      if (ec) {
        error = "cannot remove data directory " + s.data_dir + ": " + ec.message();
        return false;
      }
    }
  }
  if (!pg::ensure_parent_dirs(s.data_dir, ctx.user, error)) return false;
  auto argv = m.command;
  argv.insert(argv.end(), m.options.begin(), m.options.end());
  if (!m.no_params) {
    argv.push_back("--scope=" + s.scope);
    argv.push_back("--role=replica");
    argv.push_back("--datadir=" + s.data_dir);
    argv.push_back("--connstring=" +
                   (source.host.empty() ? std::string() : pg::basebackup_dsn(s, source)));
  }
  std::vector<std::string> env;
  if (!source.host.empty() && !s.pgpass.empty()) env.push_back("PGPASSFILE=" + s.pgpass);
  spdlog::info("creating the replica with method {}: {}", m.name, config::quote_shell_words(argv));
  auto r = pg::run_command(argv, std::chrono::hours(24), ctx.user, env, &ctx.progress->cancel,
                           std::filesystem::current_path().string());
  if (!r.ok()) {
    error = "replica method " + m.name + ": " + argv.front() +
            (r.error.empty() ? " exited with code " + std::to_string(r.exit_code)
                             : " failed: " + r.error) +
            "; check postgresql." + m.name + ": " + r.tail();
    return false;
  }
  if (pg::data_dir_empty(s.data_dir)) {
    error = "replica method " + m.name + " left no cluster in " + s.data_dir + " (no PG_VERSION)";
    return false;
  }
  return pg::ensure_private_dir(s.data_dir, ctx.user, error);
}

}  // namespace

action_outcome run_clone(const action_context& ctx, const upstream_member& source) {
  const auto& s = ctx.settings;
  action_outcome out;
  out.failed_state = "stopped";
  ctx.progress->set_state("creating replica");
  std::string error;
  const bool has_source = !source.host.empty();
  if (has_source && !s.replication.password.empty() &&
      !pg::write_pgpass(s, source, ctx.user, error)) {
    out.error = error;
    return out;
  }
  std::vector<replica_method> methods = s.replica_methods;
  if (methods.empty()) methods.emplace_back().name = "basebackup";
  std::string failures;
  bool created = false;
  for (const auto& m : methods) {
    if (cancelled(ctx)) break;
    if (!has_source && (m.name == "basebackup" || !m.without_leader)) continue;
    error.clear();
    created = m.name == "basebackup" ? run_basebackup(ctx, source, error)
                                     : run_method_command(ctx, m, source, error);
    if (created) {
      spdlog::info("replica has been created using {}", m.name);
      break;
    }
    spdlog::error("creating the replica with method {} failed: {}", m.name, error);
    failures += (failures.empty() ? "" : "; ") + error;
  }
  if (!created) {
    std::string ignored;
    if (!pg::data_dir_empty(s.data_dir)) pg::empty_data_dir(s.data_dir, ctx.user, ignored);
    out.error = failures.empty() ? "no replica method could run: without a member to clone from, "
                                   "only a method marked no_leader can"
                                 : failures;
    return out;
  }
  out.failed_state = "start failed";
  if (!write_role_config(ctx, false, source, error)) {
    out.error = error;
    return out;
  }
  return start_postmaster(ctx);
}

}  // namespace praetor

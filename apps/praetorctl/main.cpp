// praetorctl: the operator's command line, in patronictl's habits (see command_line.cpp for
// the usage). It reads the DCS directly with its own session and calls the members' REST API,
// as patronictl does.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <string>
#include <vector>

#include "actors/rest_frontend/basic_auth.hpp"
#include "apps/praetorctl/command_line.hpp"
#include "apps/praetorctl/edit_config_command.hpp"
#include "apps/praetorctl/failover_command.hpp"
#include "apps/praetorctl/flush_restart_command.hpp"
#include "apps/praetorctl/pause_command.hpp"
#include "apps/praetorctl/read_commands.hpp"
#include "apps/praetorctl/reinit_command.hpp"
#include "apps/praetorctl/reload_command.hpp"
#include "apps/praetorctl/remove_command.hpp"
#include "apps/praetorctl/restart_command.hpp"
#include "apps/praetorctl/version_command.hpp"
#include "config/dynamic.hpp"
#include "config/load.hpp"
#include "config/to_settings.hpp"

int main(int argc, char** argv) {
  namespace ctl = praetor::ctl;
  // Log lines (the ZooKeeper client's) go to stderr, as patronictl's: stdout is the command's.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("praetorctl"));
  auto parsed = ctl::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed.line) {
    std::cerr << "praetorctl: " << parsed.error << "\n" << ctl::usage;
    return 2;
  }
  const auto& line = *parsed.line;
  if (line.help) {
    std::cout << ctl::usage;
    return 0;
  }
  if (line.command == "version" && line.cluster_name.empty()) {
    std::cout << ctl::tool_version_line() << "\n";  // no cluster: no configuration needed
    return 0;
  }
  auto loaded =
      praetor::config::load_node_config(line.config_path, praetor::config::current_environment());
  if (!loaded.config) {
    std::cerr << "praetorctl: cannot read " << line.config_path << ":\n";
    for (const auto& e : loaded.errors) std::cerr << "  " << e.path << ": " << e.message << "\n";
    return 1;
  }
  auto cfg = *loaded.config;
  // As patronictl, a cluster name on the command line replaces the configuration's scope.
  if (!line.cluster_name.empty()) cfg.scope = line.cluster_name;
  auto dcs =
      praetor::config::to_dcs_settings(cfg, praetor::config::effective_dynamic(std::nullopt, cfg));
  dcs.ttl = 10;  // praetorctl's own short session; it creates no ephemerals
  auto rest = praetor::config::to_rest_settings(cfg);
  ctl::command_env env{cfg.scope,
                       dcs,
                       praetor::rest::basic_authorization(rest.username, rest.password),
                       praetor::peers::patroni_client_tls(cfg.raw, std::nullopt),
                       ctl::system_local_zone(),
                       std::cin,
                       std::cout,
                       std::cerr};
  if (line.command == "flush")
    return line.flush_target == "restart" ? ctl::run_flush_restart(env, line.select)
                                          : ctl::run_flush_switchover(env);
  if (line.command == "list") return ctl::run_list(env, line.format, line.extended, line.watch);
  if (line.command == "topology") return ctl::run_topology(env, line.watch, line.extended);
  if (line.command == "history") return ctl::run_history(env, line.format);
  if (line.command == "version") return ctl::run_version(env, line.select);
  if (line.command == "show-config") return ctl::run_show_config(env);
  if (line.command == "remove") return ctl::run_remove(env, line.format);
  if (line.command == "restart") return ctl::run_restart(env, line.select, line.restart);
  if (line.command == "reload") return ctl::run_reload(env, line.select);
  if (line.command == "reinit") return ctl::run_reinit(env, line.select, line.wait);
  if (line.command == "pause" || line.command == "resume")
    return ctl::run_pause(env, line.command == "pause", line.wait);
  if (line.command == "edit-config")
    return ctl::run_edit_config(env, {line.set_pairs, line.pg_pairs, line.apply_file,
                                      line.replace_file, line.quiet, line.force});
  return ctl::run_failover(env, line.failover);
}

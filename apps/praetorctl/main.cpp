// praetorctl: the operator's command line, in patronictl's habits.
//
//   praetorctl -c CONFIG list [-f pretty|json|yaml] [-W]
//
// It reads the DCS directly with its own session, as patronictl does.
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "apps/praetorctl/cluster_table.hpp"
#include "apps/praetorctl/dcs_reader.hpp"
#include "config/dynamic.hpp"
#include "config/load.hpp"
#include "config/to_settings.hpp"

namespace {

constexpr const char* usage =
    "usage: praetorctl -c CONFIG list [-f pretty|json|yaml] [-W]\n"
    "  -c, --config-file CONFIG  a node's Patroni-format YAML (scope, namespace, zookeeper)\n"
    "  -f, --format FORMAT       pretty (default), json or yaml\n"
    "  -W                        watch: print again every 2 s until interrupted\n";

int list(const praetor::config::node_config& cfg, const std::string& format, bool watch) {
  auto dcs = praetor::config::to_dcs_settings(
      cfg, praetor::config::effective_dynamic(std::nullopt, cfg));
  dcs.ttl = 10;  // praetorctl's own short session; it creates no ephemerals
  while (true) {
    auto r = praetor::ctl::read_cluster(dcs, 5);
    if (!r.view) {
      std::cerr << "praetorctl: " << r.error << "\n";
      return 1;
    }
    if (format == "json")
      std::cout << praetor::ctl::render_json(cfg.scope, *r.view);
    else if (format == "yaml")
      std::cout << praetor::ctl::render_yaml(cfg.scope, *r.view);
    else
      std::cout << praetor::ctl::render_table(cfg.scope, *r.view);
    std::cout.flush();
    if (!watch) return 0;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path, command, format = "pretty";
  bool watch = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if ((a == "-c" || a == "--config-file") && i + 1 < args.size()) {
      config_path = args[++i];
    } else if ((a == "-f" || a == "--format") && i + 1 < args.size()) {
      format = args[++i];
    } else if (a == "-W") {
      watch = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << usage;
      return 0;
    } else if (command.empty() && !a.empty() && a[0] != '-') {
      command = a;
    } else if (command == "list" && !a.empty() && a[0] != '-') {
      // patronictl accepts cluster names after list; the configuration names ours
    } else {
      std::cerr << "praetorctl: unexpected argument " << a << "\n" << usage;
      return 2;
    }
  }
  if (command != "list") {
    std::cerr << (command.empty() ? "praetorctl: no command given\n"
                                  : "praetorctl: unknown command " + command + "\n")
              << usage;
    return 2;
  }
  if (format != "pretty" && format != "json" && format != "yaml") {
    std::cerr << "praetorctl: unknown format " << format << " (pretty, json or yaml)\n";
    return 2;
  }
  if (config_path.empty()) {
    std::cerr << "praetorctl: give the node's configuration with -c CONFIG\n";
    return 2;
  }
  auto loaded = praetor::config::load_node_config(config_path, praetor::config::current_environment());
  if (!loaded.config) {
    std::cerr << "praetorctl: cannot read " << config_path << ":\n";
    for (const auto& e : loaded.errors) std::cerr << "  " << e.path << ": " << e.message << "\n";
    return 1;
  }
  return list(*loaded.config, format, watch);
}

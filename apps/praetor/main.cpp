// praetor: the daemon. One process per PostgreSQL instance.
//
//   praetor [--trace FILE] CONFIG          run this node (CONFIG: a Patroni YAML file or folder)
//   praetor --validate-config CONFIG       report every problem in CONFIG and exit
//   praetor replay TRACE                   replay a decision trace through decide()
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "actors/ha/trace.hpp"
#include "apps/praetor/logging.hpp"
#include "apps/praetor/run_node.hpp"
#include "backends/postgres/fence_guard.hpp"
#include "config/load.hpp"
#include "config/validate.hpp"

namespace {

constexpr const char* usage =
    "usage: praetor [--trace FILE] CONFIG\n"
    "       praetor --validate-config CONFIG\n"
    "       praetor replay TRACE\n"
    "CONFIG is a Patroni-format YAML file, or a folder of them; PATRONI_* variables override it.\n";

int replay(const std::string& path) {
  auto r = praetor::ha::replay_trace(path);
  if (!r.error.empty()) {
    std::cerr << "praetor replay: " << r.error << "\n";
    return 2;
  }
  if (!r.ok) {
    std::cerr << "praetor replay: decision " << r.events << " (line " << r.line
              << ") differs\n  recorded: " << r.expected << "\n  now:      " << r.actual << "\n";
    return 1;
  }
  std::cout << "replayed " << r.events << " events from " << path
            << ": every decision is the same\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The daemon's fence guard (started by the daemon itself, with its socket as stdin).
  if (argc >= 2 && std::string_view(argv[1]) == "--fence-guard")
    return praetor::pg::run_fence_guard(0, argc > 2 ? argv[2] : "praetor");
  std::vector<std::string> args(argv + 1, argv + argc);
  bool validate_only = false;
  std::string trace_path, config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << usage;
      return 0;
    } else if (a == "--version") {
      std::cout << "praetor " PRAETOR_VERSION " (Patroni 3.0.2 compatible)\n";
      return 0;
    } else if (a == "replay" && i == 0) {
      if (args.size() != 2) {
        std::cerr << usage;
        return 2;
      }
      return replay(args[1]);
    } else if (a == "--validate-config") {
      validate_only = true;
    } else if (a == "--trace" && i + 1 < args.size()) {
      trace_path = args[++i];
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "praetor: unknown option " << a << "\n" << usage;
      return 2;
    } else if (config_path.empty()) {
      config_path = a;
    } else {
      std::cerr << "praetor: more than one configuration given\n" << usage;
      return 2;
    }
  }

  auto loaded =
      praetor::config::load_valid_node_config(config_path, praetor::config::current_environment());
  if (!loaded.ok()) {
    std::cerr << "praetor: invalid configuration"
              << (config_path.empty() ? std::string() : " in " + config_path) << ":\n";
    for (const auto& e : loaded.errors) std::cerr << "  " << e.path << ": " << e.message << "\n";
    return 1;
  }
  for (const auto& w : praetor::config::warnings(*loaded.config))
    std::cerr << "praetor: warning: " << praetor::config::to_string(w) << "\n";
  if (validate_only) {
    std::cout << "configuration " << config_path << " is valid\n";
    return 0;
  }
  if (auto err = praetor::app::setup_logging(loaded.config->log, loaded.config->name);
      !err.empty()) {
    std::cerr << "praetor: " << err << "\n";
    return 1;
  }
  return praetor::app::run_node(*loaded.config, config_path, trace_path);
}

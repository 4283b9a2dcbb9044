// Runs one node: spawns the actors, wires them, and waits for SIGTERM/SIGINT or for an actor
// to fail (SIGHUP has the decider read `config_path` again); then shuts down in the order that
// keeps the safety rules (PostgreSQL stops before the DCS session, and with it the leader lock,
// goes away).
#pragma once

#include <string>

#include "config/node_config.hpp"

namespace praetor::app {

// Returns the process exit code.
int run_node(const config::node_config& config, const std::string& config_path,
             const std::string& trace_path);

}  // namespace praetor::app

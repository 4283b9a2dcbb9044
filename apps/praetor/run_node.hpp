// Runs one node: spawns the five actors, wires them, and waits for SIGTERM/SIGINT or for an
// actor to fail; then shuts down in the order that keeps the safety rules (PostgreSQL stops
// before the DCS session, and with it the leader lock, goes away).
#pragma once

#include <string>

#include "config/node_config.hpp"

namespace praetor::app {

// Returns the process exit code.
int run_node(const config::node_config& config, const std::string& trace_path);

}  // namespace praetor::app

// The commands that only read the DCS: `topology`, `history` and `show-config`, each with
// one session of its own, printing what patronictl prints.
// Threads: the main thread.
#pragma once

#include <string>

#include "apps/praetorctl/command_env.hpp"

namespace praetor::ctl {

// The list table in topology order; with `watch`, again every 2 s until interrupted.
int run_topology(const command_env& env, bool watch);
// The history key in `format` (pretty, tsv, json or yaml).
int run_history(const command_env& env, const std::string& format);
// The config key as YAML ("{}" when there is none), followed by a blank line as patronictl's
// echo of it is.
int run_show_config(const command_env& env);

}  // namespace praetor::ctl

// The commands that only read the DCS: `list`, `topology`, `history` and `show-config`, each
// with one session of its own, printing what patronictl prints.
// Threads: the main thread.
#pragma once

#include <string>

#include "apps/praetorctl/command_env.hpp"

namespace praetor::ctl {

// The cluster's members in `format` (pretty, tsv, json or yaml; see cluster_table.hpp), with
// the optional columns always shown when `extended` (-e); with `watch`, again every 2 s until
// interrupted.
int run_list(const command_env& env, const std::string& format, bool extended, bool watch);
// The list table in topology order; `extended` and `watch` as for run_list.
int run_topology(const command_env& env, bool watch, bool extended = false);
// The history key in `format` (pretty, tsv, json or yaml).
int run_history(const command_env& env, const std::string& format);
// The config key as YAML ("{}" when there is none), followed by a blank line as patronictl's
// echo of it is.
int run_show_config(const command_env& env);

}  // namespace praetor::ctl

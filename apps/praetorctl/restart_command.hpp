// `praetorctl restart CLUSTER [MEMBER...] [--role primary|replica|any] [--pending]
// [--pg-version X.Y[.Z]] [--timeout T] [--force]`: POST /restart to each chosen member, as
// patronictl 3.0.2's restart does (its texts, one line per member). Without --force it shows
// the cluster and asks "Are you sure you want to restart members ...?". Not yet: --scheduled
// (the daemon refuses scheduled restarts) and patronictl's prompts for a time and a version.
// Threads: the main thread.
#pragma once

#include <string>
#include <vector>

#include "apps/praetorctl/command_env.hpp"

namespace praetor::ctl {

struct restart_options {
  std::vector<std::string> members;  // empty = every member (of `role`)
  std::string role = "any";          // primary (master), replica or any
  bool pending = false;              // only where pending_restart is set
  std::string pg_version;            // only where the running version is lower; "" = any
  std::string timeout;               // passed on as given; "" = the daemon's default
  bool force = false;
};

int run_restart(const command_env& env, const restart_options& options);

}  // namespace praetor::ctl

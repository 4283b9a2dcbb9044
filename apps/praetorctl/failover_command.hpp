// The I/O around failover_plan: `switchover`, `failover` and `flush switchover` read the
// cluster with their own ZooKeeper session, ask the operator, call the REST API of the right
// member, fall back to writing the failover key when no API can be reached, and print what
// patronictl prints. Returns the exit status: 0 done, 1 refused, failed or aborted.
// Threads: the main thread.
#pragma once

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/failover_plan.hpp"

namespace praetor::ctl {

int run_failover(const command_env& env, const failover_options& options);
int run_flush_switchover(const command_env& env);

}  // namespace praetor::ctl

// What every praetorctl command runs with: the cluster it acts on, how to reach its DCS and
// REST API, and the streams it talks through (std::cin/cout/cerr, or strings in tests).
// Commands return the exit status: 0 done, 1 refused, failed or aborted.
// Threads: the main thread.
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "actors/peer_probe/tls_client.hpp"
#include "apps/praetorctl/dcs_access.hpp"
#include "apps/praetorctl/failover_plan.hpp"
#include "messages/settings.hpp"

namespace praetor::ctl {

struct command_env {
  std::string cluster_name;       // the scope acted on, as messages name it
  dcs_settings dcs;               // its base path and ZooKeeper hosts
  std::string authorization;      // basic_auth() of restapi.authentication; "" = none
  peers::tls_client_options tls;  // for https:// api_urls, from ctl.* / restapi.* as patronictl
  local_zone zone;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// How long a command waits for its ZooKeeper session.
constexpr int dcs_timeout_s = 5;

// Connects `dcs` and reads the cluster; nullopt after telling env.err why not.
std::optional<cluster_view> connect_and_load(dcs_access& dcs, const command_env& env);

// The cluster's loop_wait as patronictl takes it: the config key's, else this node's
// configuration's.
int loop_wait_of(const cluster_view& view, const command_env& env);

}  // namespace praetor::ctl

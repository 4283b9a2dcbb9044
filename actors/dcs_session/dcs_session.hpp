// The dcs_session actor: owns the DCS client (the ZooKeeper session, its watches and our
// ephemeral znodes). It pushes a fresh cluster_view to the HA decider after connecting, after
// every watch event and after every write, forwards every session change, and performs the
// writes the decider asks for, answering each with a dcs_result.
//
// Spawn it DETACHED (sys.spawn<caf::detached>(dcs_session, ...)): client calls block. The
// client's callbacks run on its own threads and only anon_send into this actor.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "actors/actor_meter/actor_meter.hpp"
#include "backends/dcs/dcs_client.hpp"
#include "backends/dcs/paths.hpp"
#include "messages/actors.hpp"
#include "messages/settings.hpp"

namespace praetor {

struct dcs_session_state {
  actor_meter meter{"dcs_session"};  // GET /metrics, /actors
  bool ever_connected = false;       // so that the first connection is not counted a reconnect
  std::int64_t last_session_id = 0;  // the last connected session's, to count new sessions
  std::shared_ptr<dcs::client> client;
  std::optional<dcs::paths> paths;
  ha_decider_actor decider;
  dcs_settings settings;
  dcs_session_status status;
  bool reload_queued = false;  // a dcs_reload_due is in the mailbox: coalesces watch bursts
  bool retry_armed = false;    // a delayed dcs_reload_due is on its way
  std::chrono::steady_clock::time_point unreachable_since{};
  std::chrono::steady_clock::time_point last_unreachable_warning{};
  static inline const char* name = "dcs_session";
};

// `client` is not started yet; the actor starts it and closes it when it exits.
dcs_session_actor::behavior_type dcs_session(
    dcs_session_actor::stateful_pointer<dcs_session_state> self, ha_decider_actor decider,
    dcs_settings settings, std::shared_ptr<dcs::client> client);

}  // namespace praetor

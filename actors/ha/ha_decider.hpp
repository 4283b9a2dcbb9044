// The HA decider actor: the thin shell around decide(). It folds every incoming event into its
// inputs (apply_event), calls decide(), sends the commands to their owners, pushes a snapshot to
// the REST front end, logs the reason, and records the event and decision to a trace when asked.
// Its only timer is the loop_wait tick.
//
// It also follows the cluster's dynamic configuration: when a view brings a changed `config`
// znode, it derives every actor's settings again and hands each actor its part; its own go
// through decide() as an event (so that a trace replays them). On reload_config (POST /reload,
// SIGHUP) it reads the configuration file again and does the same, and it accepts or refuses
// POST /reinitialize in Patroni's words before deciding on it.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "actors/actor_meter/actor_meter.hpp"
#include "actors/ha/trace.hpp"
#include "messages/actors.hpp"

namespace praetor::ha {

// Every actor's settings for a `config` znode value (run_node binds the node's configuration
// file into it).
using settings_source =
    std::function<node_settings(const std::optional<boost::json::object>& from_dcs)>;

// Reads the configuration file again: the settings_source it gives, or what is wrong with it.
using config_file_reader = std::function<std::variant<settings_source, std::string>()>;

struct ha_decider_state {
  actor_meter meter{"ha_decider"};  // GET /metrics, /actors
  ha_inputs inputs;
  settings_source derive_settings;
  config_file_reader read_config_file;
  node_settings followed;                              // what the actors were last given
  std::optional<boost::json::object> followed_config;  // the `config` value it came from
  std::optional<boost::json::object> cached_config;    // the last one saved to the cache file
  std::string cache_error;                             // the last failure to save it, said once
  std::optional<ha_peers> peers;
  std::unique_ptr<trace_writer> trace;
  std::string last_reason;
  std::int64_t tick_due_ms = 0;  // when the regular loop's next tick arrives
  // The fence's lease as last granted (0 = none), and when (steady ms).
  std::int64_t fence_lease_ms = 0;
  std::int64_t fence_renewed_ms = 0;
  static inline const char* name = "ha_decider";
};

// `initial`: the settings the actors were spawned with. `trace_path` empty = no trace.
ha_decider_actor::behavior_type ha_decider(
    ha_decider_actor::stateful_pointer<ha_decider_state> self, node_settings initial,
    settings_source derive_settings, config_file_reader read_config_file, std::string trace_path);

}  // namespace praetor::ha

// The HA decider actor: the thin shell around decide(). It folds every incoming event into its
// inputs (apply_event), calls decide(), sends the commands to their owners, pushes a snapshot to
// the REST front end, logs the reason, and records the event and decision to a trace when asked.
// Its only timer is the loop_wait tick.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "actors/ha/trace.hpp"
#include "messages/actors.hpp"

namespace praetor::ha {

struct ha_decider_state {
  ha_inputs inputs;
  std::optional<ha_peers> peers;
  std::unique_ptr<trace_writer> trace;
  std::string last_reason;
  std::int64_t tick_due_ms = 0;  // when the regular loop's next tick arrives
  static inline const char* name = "ha_decider";
};

// `trace_path` empty = no trace.
ha_decider_actor::behavior_type ha_decider(ha_decider_actor::stateful_pointer<ha_decider_state> self,
                                           ha_settings settings, std::string trace_path);

}  // namespace praetor::ha

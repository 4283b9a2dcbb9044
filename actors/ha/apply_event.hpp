// How each event changes the decider's inputs: the one place where a message becomes state.
// Pure, like decide(): the decider's shell and trace replay both call it, so that a replayed
// trace reconstructs exactly the inputs the live decider saw.
#pragma once

#include "messages/ha.hpp"

namespace praetor::ha {

// Returns `in` with `e` folded in and the clock set to `now_ms`.
ha_inputs apply_event(ha_inputs in, const ha_event& e, std::int64_t now_ms);

}  // namespace praetor::ha

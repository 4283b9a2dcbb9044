// Heartbeats on a shared grid: the next multiple of their period on CAF's (steady) clock.
// The supervisor's status check and the slot check both beat every loop_wait; on the same
// grid they fire at the same instant, and CAF's clock thread wakes once for both instead of
// once each.
#pragma once

#include <caf/actor_clock.hpp>

namespace praetor {

inline caf::actor_clock::time_point next_beat(caf::actor_clock::time_point now,
                                              caf::actor_clock::duration_type period) {
  return now + (period - now.time_since_epoch() % period);
}

}  // namespace praetor

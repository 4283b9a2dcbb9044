// What an actor answers to metrics_report: its meter's snapshot with the mailbox depth of now.
// Include it in an actor's .cpp with measured.hpp.
#pragma once

#include "actors/actor_meter/actor_meter.hpp"
#include "actors/actor_meter/queued_messages.hpp"

namespace praetor {

inline actor_metrics metrics_of(actor_meter& meter, caf::scheduled_actor* self) {
  meter.set_mailbox_depth(queued_messages(self));
  return meter.snapshot();
}

}  // namespace praetor

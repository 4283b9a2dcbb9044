// How many messages wait in an event-based actor's mailbox (CAF 0.17), for the
// praetor_actor_mailbox_depth gauge.
#pragma once

#include <caf/scheduled_actor.hpp>
#include <cstdint>

namespace praetor {

// The messages queued for `self` now, as CAF's mailbox counts them (scheduled_actor::mailbox(),
// a fifo_inbox: `size()` first moves what other threads have pushed since into the actor's own
// queues, then returns their total task size, 1 per message): normal and high-priority
// messages, responses, and stream traffic (which praetor does not use). Not counted: the
// message being handled (it has already left the queue) and messages skipped earlier in the
// same round (set aside in a cache, e.g. while the actor awaits a response; CAF puts them back
// after the handler).
//
// REQUIRES: called from `self`'s own handlers (the reader side of the mailbox is not
// thread-safe). Works for detached actors too; a typed actor's stateful pointer converts.
std::uint64_t queued_messages(caf::scheduled_actor* self);

}  // namespace praetor

#include "actors/actor_meter/queued_messages.hpp"

namespace praetor {

std::uint64_t queued_messages(caf::scheduled_actor* self) {
  return self->mailbox().size();
}

}  // namespace praetor

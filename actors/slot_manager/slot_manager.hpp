// The slot_manager actor: keeps the local instance's replication slots equal to the desired set
// the decider sends (reconcile_slots), Patroni's way (slot_plan.hpp): creates missing physical
// slots (reserving WAL at once) and, on a primary, logical ones; drops inactive slots outside
// the set; on a replica advances the logical slots to the primary's positions. Reports a
// slot_report when something changed or failed, and when the logical slots' positions or the
// missing ones changed. When PostgreSQL is not reachable the desired set is kept and retried
// every loop_wait (slot_heartbeat), which also catches slots changed behind our back.
// Spawn it detached (it blocks in libpq):
//
//   auto slots = sys.spawn<caf::detached>(praetor::slot_manager, decider, settings);
#pragma once

#include <optional>

#include "actors/actor_meter/actor_meter.hpp"
#include "backends/postgres/connection.hpp"
#include "messages/actors.hpp"
#include "messages/settings.hpp"

namespace praetor {

struct slot_manager_state {
  actor_meter meter{"slot_manager"};  // GET /metrics, /actors
  // Not an aggregate: CAF would otherwise try to build the state from the actor pointer.
  slot_manager_state() = default;
  ha_decider_actor decider;
  postgres_settings settings;
  std::optional<reconcile_slots> desired;
  bool pending = false;  // the last reconcile did not complete (retry on heartbeat)
  std::string last_error_sent;
  slot_report last_report;  // the positions and missing slots the decider knows
  pg::connection conn;
};

slot_manager_actor::behavior_type slot_manager(
    slot_manager_actor::stateful_pointer<slot_manager_state> self, ha_decider_actor decider,
    postgres_settings settings);

}  // namespace praetor

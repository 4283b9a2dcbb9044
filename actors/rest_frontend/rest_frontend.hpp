// The rest_frontend actor: owns the REST API's HTTP listener (http_server) and hands it every
// node_snapshot the HA decider pushes, so that health checks are answered from the latest
// snapshot without asking any actor. Requests are answered on the server's own thread; this
// actor only swaps snapshots, so a slow client can never delay a CAF scheduler thread.
//
// Lifetime: the server starts when the actor is spawned and stops (its thread joined) when
// the actor exits, through the state's destructor. If the address cannot be bound (port taken),
// the actor logs why and what to do, and quits with sec::cannot_open_port: monitor it.
#pragma once

#include <memory>

#include "actors/rest_frontend/http_server.hpp"
#include "messages/actors.hpp"
#include "messages/settings.hpp"

namespace praetor {

struct rest_frontend_state {
  std::unique_ptr<rest::http_server> server;  // null when it could not start
  static inline const char* name = "rest_frontend";
};

rest_frontend_actor::behavior_type rest_frontend(
    rest_frontend_actor::stateful_pointer<rest_frontend_state> self, rest_settings settings);

}  // namespace praetor

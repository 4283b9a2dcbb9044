// The rest_frontend actor: owns the REST API's HTTP listener (http_server) and hands it every
// node_snapshot the HA decider pushes, so that health checks are answered from the latest
// snapshot on the server's own thread without asking any actor.
//
// The server hands over what it cannot answer from a snapshot (POST /switchover, POST
// /failover, DELETE /switchover, PATCH and PUT /config) as a rest_call. The actor checks it against
// the latest snapshot (switchover_request.hpp), asks dcs_session to write the failover key, and
// answers:
//
//   rest_call --refused--------------------------------------------> 4xx
//       |
//       +--> write_failover --failed or no answer in 5 s-----------> 503
//                |
//                +--scheduled / DELETE-----------------------------> 202 / 200
//                +--immediate: a waiter, judged on every snapshot--> 200 / 503
//                                 (failover_progress.hpp), or at the deadline -> 503
//
// PATCH and PUT /config go the same way (config_request.hpp): the checked configuration goes to
// dcs_session as a change_config, and its config_change_result picks the answer (200 with the
// configuration, 409 for a lost compare-and-set, 503 or 502 for a failure).
//
// New rest_settings (restapi.* changed by POST /reload or SIGHUP) restart the server with them,
// as Patroni reloads its API server; settings that cannot serve (a TLS file, a taken address)
// leave the running server as it is.
//
// GET /patroni asks the postgres supervisor for the status read now (1 s, else the snapshot's),
// as Patroni reads PostgreSQL for it: peers compare its WAL position during a failover.
//
// POST and DELETE /restart ask the postgres supervisor (restart_request.hpp), POST
// /reinitialize asks the decider (reinitialize_request.hpp), POST /reload tells the decider
// and answers 202 at once. GET /metrics and GET /actors ask every actor for its
// actor_metrics (1 s each; one that does not answer is left out) and answer with Patroni's
// metrics plus praetor's (actor_metrics_text.hpp), or the JSON view.
//
// Waiting never blocks the actor or the server: other clients are served meanwhile.
//
// Lifetime: the server starts when the actor is spawned and stops (its thread joined) when
// the actor exits, through the state's destructor. If the address cannot be bound (port taken),
// the actor logs why and what to do, and quits with sec::cannot_open_port: monitor it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "actors/actor_meter/actor_meter.hpp"
#include "actors/rest_frontend/failover_progress.hpp"
#include "actors/rest_frontend/http_server.hpp"
#include "messages/actors.hpp"
#include "messages/settings.hpp"

namespace praetor {

struct rest_frontend_state {
  actor_meter meter{"rest_frontend"};  // GET /metrics, /actors
  // A switchover or failover request whose key is written, waiting for its outcome.
  struct waiting_call {
    rest::failover_waiter waiter;
    http_reply reply;
    std::string what;  // "POST /switchover from host:port", for the log
  };

  rest_settings settings;                     // what the server runs with
  std::unique_ptr<rest::http_server> server;  // null when it could not start
  // dcs: switchover, failover, config; postgres: POST and DELETE /restart; decider: POST
  // /reload, /reinitialize; all of them: GET /metrics, /actors.
  rest_peers peers;
  std::shared_ptr<const node_snapshot> snapshot = std::make_shared<const node_snapshot>();
  // Declared after the server, so destroyed first: dropped replies still reach their clients.
  std::map<std::uint64_t, waiting_call> waiting;
  std::uint64_t next_call = 1;
  static inline const char* name = "rest_frontend";
};

rest_frontend_actor::behavior_type rest_frontend(
    rest_frontend_actor::stateful_pointer<rest_frontend_state> self, rest_settings settings,
    rest_peers peers);

}  // namespace praetor

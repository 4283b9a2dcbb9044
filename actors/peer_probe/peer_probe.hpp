// The peer_probe actor: Patroni's election probes (docs/compatibility.md, "REST API", used by
// _is_healthiest_node, 4.5). On probe_peers it GETs every member's api_url in parallel, each
// bounded by timeout_ms, no retry, and tells the decider ONE peer_statuses{round, one status
// per member in the order asked} once all have answered, failed or timed out: at most
// timeout_ms plus a few milliseconds after the request arrived. A member without an api_url
// is reported unreachable at once.
//
// Overlapping rounds: every probe_peers is answered, each by its own peer_statuses, even when
// a newer round starts before an older one is done (rounds run concurrently, so a newer one is
// never delayed by an older one). An older round may therefore arrive after a newer one: the
// decider keeps the answer whose round it is waiting for and ignores the others.
//
// Threads: the GETs run on the http_prober's own thread (owned by the state); the answer is
// sent from that thread straight to the decider with anon_send. The actor itself only starts
// rounds, so it never blocks a CAF scheduler thread. When the actor exits, its state (and with
// it the prober) is destroyed: rounds in flight are dropped unanswered.
#pragma once

#include <memory>

#include "actors/actor_meter/actor_meter.hpp"
#include "actors/peer_probe/http_prober.hpp"
#include "messages/actors.hpp"

namespace praetor {

struct peer_probe_state {
  actor_meter meter{"peer_probe"};             // GET /metrics, /actors
  std::unique_ptr<peers::http_prober> prober;  // made by peer_probe() with the node's TLS options
  static inline const char* name = "peer_probe";
};

// `tls`: how to speak to https:// members (peers::patroni_client_tls of the node's config).
// `authorization`: the Authorization header of a POST /failsafe (restapi.authentication, as
// Patroni sends its own credentials), "" for none.
peer_probe_actor::behavior_type peer_probe(
    peer_probe_actor::stateful_pointer<peer_probe_state> self, ha_decider_actor decider,
    peers::tls_client_options tls, std::string authorization);

}  // namespace praetor

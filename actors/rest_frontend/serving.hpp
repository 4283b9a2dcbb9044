// The REST actor's HTTP server: started for the actor on given settings, and replaced when
// restapi.* changes (POST /reload or SIGHUP), as Patroni reloads its API server.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "actors/rest_frontend/http_server.hpp"
#include "actors/rest_frontend/rest_frontend.hpp"

namespace praetor::rest {

using frontend_pointer = rest_frontend_actor::stateful_pointer<rest_frontend_state>;

// A started server on `settings` whose requests go to `self` as rest_call messages, or why it
// did not start.
std::variant<std::unique_ptr<http_server>, std::string> start_server(frontend_pointer self,
                                                                     const rest_settings& settings);

// "host:port" of restapi.listen, for the log and errors.
std::string address_of(const rest_settings& settings);

// Serves with `next` from now on. Until a new server runs the old one serves; one that cannot
// start leaves the old in place, and the log says why. New credentials alone are taken by the
// running server, so no connection is dropped.
void follow_settings(frontend_pointer self, const rest_settings& next);

}  // namespace praetor::rest

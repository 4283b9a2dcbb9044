// POST /reinitialize, read as Patroni 3.0.2's do_POST_reinitialize: an optional JSON body whose
// `force` is read with parse_bool (true, "on", "yes", 1...). The decider judges whether the
// member may be re-cloned; its answer is 200 "reinitialize started" or 503 with the reason.
// Pure; any thread.
#pragma once

#include <variant>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/ha.hpp"

namespace praetor::rest {

std::variant<http_response, reinitialize_request> check_reinitialize_request(
    const http_request& request);

http_response reinitialize_response(const reinitialize_answer& answer);

}  // namespace praetor::rest

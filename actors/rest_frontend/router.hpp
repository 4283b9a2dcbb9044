// Routing, as Patroni's parse_request does it: the method plus the first path segment pick a
// handler (GET /patroni, GET /cluster, ...); anything else goes to the method's generic
// handler, which for GET, HEAD and OPTIONS is the health check and for every other method is
// 501 for now. The unsafe endpoints (POST /switchover, PATCH /config, ...) are added to the
// table in router.cpp later, with their auth.
//
// Pure: the snapshot and the time are arguments, no I/O. Called on the HTTP server's thread.
#pragma once

#include <cstdint>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

http_response route(const http_request& request, const node_snapshot& snapshot,
                    std::int64_t now_ms);

// Helpers the server also uses for answers it makes before routing (bad requests and the like).
http_response json_response(int status, std::string body);
http_response error_json(int status, std::string_view message);  // {"error": message}

// Python http.server's send_error page (HTML), used where Patroni calls send_error.
http_response html_error_page(int status, std::string_view explanation);

}  // namespace praetor::rest

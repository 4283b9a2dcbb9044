// Routing, as Patroni's parse_request does it: the method plus the first path segment pick a
// handler (GET /patroni, GET /cluster, ...); anything else goes to the method's generic
// handler, which for GET, HEAD and OPTIONS is the health check and for every other method is
// 501. Everything answerable from the snapshot is answered here, at once; the endpoints that
// must write to the DCS, ask another actor or wait (POST /switchover, /failover, /restart,
// /reload, /reinitialize, DELETE /switchover, /restart, PATCH and PUT /config) are handed to
// the rest_frontend actor, after the server checked the caller's credentials.
//
// Pure: the snapshot and the time are arguments, no I/O. Called on the HTTP server's thread.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

// The request needs the rest_frontend actor (the DCS, a wait): the server hands it over.
struct hand_over {
  bool operator==(const hand_over&) const = default;
};
using route_result = std::variant<http_response, hand_over>;

route_result route(const http_request& request, const node_snapshot& snapshot, std::int64_t now_ms);

// Helpers the server also uses for answers it makes before routing (bad requests and the like).
http_response json_response(int status, std::string body);
// Patroni's _write_response: a plain sentence, sent as text/html.
http_response text_response(int status, std::string body);
http_response error_json(int status, std::string_view message);  // {"error": message}

// Python http.server's send_error page (HTML), used where Patroni calls send_error.
http_response html_error_page(int status, std::string_view explanation);

// Patroni's _read_json_content with the body required: the non-empty JSON object, or the error
// page to answer (411 without Content-Length, 400 for anything else).
std::variant<http_response, boost::json::object> read_json_body(const http_request& request);
// The same with the body optional: none (or Content-Length: 0) is {}, an empty object is fine.
std::variant<http_response, boost::json::object> read_optional_json_body(
    const http_request& request);

}  // namespace praetor::rest

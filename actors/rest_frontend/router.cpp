#include "actors/rest_frontend/router.hpp"

#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>
#include <string_view>

#include "actors/rest_frontend/cluster_json.hpp"
#include "actors/rest_frontend/health_check.hpp"
#include "actors/rest_frontend/metrics_text.hpp"
#include "actors/rest_frontend/request_target.hpp"
#include "actors/rest_frontend/status_json.hpp"

namespace praetor::rest {
namespace json = boost::json;

namespace {

struct routed_request {
  const http_request& raw;
  request_target target;
};

http_response status_only(int status) {
  http_response r;
  r.status = status;
  r.status_only = true;
  return r;
}

http_response get_cluster(const routed_request&, const node_snapshot& s, std::int64_t) {
  // Patroni forces a fresh DCS load here; the latest view pushed to us is as fresh as we get.
  return json_response(200, json::serialize(cluster_json(s.view ? &*s.view : nullptr)));
}

http_response get_history(const routed_request&, const node_snapshot& s, std::int64_t) {
  return json_response(200, s.view ? json::serialize(s.view->history) : "[]");
}

http_response get_config(const routed_request&, const node_snapshot& s, std::int64_t) {
  if (!s.view || !s.view->config)
    return html_error_page(502, "Invalid responses from another server/proxy");
  return json_response(200, json::serialize(*s.view->config));
}

// The failsafe key as the last view read it, as Patroni answers from its DCS cache.
http_response get_failsafe(const routed_request&, const node_snapshot& s, std::int64_t) {
  if (!s.view || !s.view->failsafe)
    return html_error_page(502, "Invalid responses from another server/proxy");
  return json_response(200, json::serialize(*s.view->failsafe));
}

http_response get_liveness(const routed_request&, const node_snapshot& s, std::int64_t now_ms) {
  return status_only(liveness_status(s, now_ms));
}

http_response get_readiness(const routed_request&, const node_snapshot& s, std::int64_t now_ms) {
  return status_only(readiness_status(s, now_ms));
}

// GET, HEAD and OPTIONS on any other path: the health check. GET carries the status JSON.
http_response health(const routed_request& r, const node_snapshot& s, std::int64_t now_ms) {
  int code = health_status(r.target.path, r.target.query, s, now_ms);
  if (r.raw.method != "GET") return status_only(code);
  return json_response(code, json::serialize(status_json(s, now_ms)));
}

using handler = http_response (*)(const routed_request&, const node_snapshot&, std::int64_t);

struct route_entry {
  std::string_view method;
  std::string_view segment;  // first path segment
  handler handle;            // nullptr: the rest_frontend actor answers
};

constexpr std::array routes{
    // The actor reads PostgreSQL for /patroni, as Patroni does.
    route_entry{"GET", "patroni", nullptr},
    route_entry{"GET", "cluster", get_cluster},
    route_entry{"GET", "history", get_history},
    route_entry{"GET", "config", get_config},
    route_entry{"GET", "failsafe", get_failsafe},
    route_entry{"POST", "failsafe", nullptr},
    // GET only: Patroni has no HEAD or OPTIONS handler for /metrics, so those fall to the
    // health check (503 for this path), and POST to the 501. The actor adds every actor's
    // metrics to Patroni's (and serves /actors from the same).
    route_entry{"GET", "metrics", nullptr},
    route_entry{"GET", "actors", nullptr},
    route_entry{"GET", "liveness", get_liveness},
    route_entry{"GET", "readiness", get_readiness},
    route_entry{"POST", "switchover", nullptr},
    route_entry{"POST", "failover", nullptr},
    route_entry{"DELETE", "switchover", nullptr},
    route_entry{"PATCH", "config", nullptr},
    route_entry{"PUT", "config", nullptr},
    route_entry{"POST", "restart", nullptr},
    route_entry{"DELETE", "restart", nullptr},
    route_entry{"POST", "reload", nullptr},
    route_entry{"POST", "reinitialize", nullptr},
};

}  // namespace

http_response json_response(int status, std::string body) {
  http_response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

http_response text_response(int status, std::string body) {
  http_response r;
  r.status = status;
  r.content_type = "text/html";
  r.body = std::move(body);
  return r;
}

http_response error_json(int status, std::string_view message) {
  return json_response(status, json::serialize(json::object{{"error", message}}));
}

http_response html_error_page(int status, std::string_view explanation) {
  http_response r;
  r.status = status;
  r.content_type = "text/html;charset=utf-8";
  r.body = fmt::format(
      "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n"
      "        <title>Error response</title>\n    </head>\n    <body>\n"
      "        <h1>Error response</h1>\n        <p>Error code: {0}</p>\n"
      "        <p>Message: {1}.</p>\n"
      "        <p>Error code explanation: {0} - {2}.</p>\n    </body>\n</html>\n",
      status, reason_phrase(status), explanation);
  return r;
}

std::variant<http_response, json::object> read_json_body(const http_request& request) {
  if (!header_value(request, "Content-Length"))
    return html_error_page(411, "Client must specify Content-Length");
  boost::system::error_code ec;
  auto v = json::parse(request.body, ec);
  if (ec || !v.is_object() || v.get_object().empty())
    return html_error_page(400, "Bad request syntax or unsupported method");
  return std::move(v.get_object());
}

std::variant<http_response, json::object> read_optional_json_body(const http_request& request) {
  auto length = header_value(request, "Content-Length");
  if (!length || request.body.empty()) return json::object{};
  boost::system::error_code ec;
  auto v = json::parse(request.body, ec);
  if (ec || !v.is_object()) return html_error_page(400, "Bad request syntax or unsupported method");
  return std::move(v.get_object());
}

route_result route(const http_request& request, const node_snapshot& snapshot,
                   std::int64_t now_ms) {
  routed_request r{request, parse_request_target(request.target)};
  const std::string_view segment = first_path_segment(r.target.path);
  for (const auto& entry : routes) {
    if (entry.method != request.method || entry.segment != segment) continue;
    if (!entry.handle) return hand_over{};
    return entry.handle(r, snapshot, now_ms);
  }
  if (request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS")
    return health(r, snapshot, now_ms);
  return error_json(501, "Unsupported method");
}

}  // namespace praetor::rest

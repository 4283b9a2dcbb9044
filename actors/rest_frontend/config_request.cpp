#include "actors/rest_frontend/config_request.hpp"

#include <boost/json.hpp>
#include <string>

#include "actors/rest_frontend/router.hpp"
#include "config/patch_config.hpp"
#include "config/validate.hpp"

namespace praetor::rest {
namespace json = boost::json;

namespace {

// The refusal of a configuration the daemons would not apply, every reason on its own line.
std::optional<http_response> refusal(const json::object& config) {
  auto errors = config::validate_dynamic(config, "");
  if (errors.empty()) return std::nullopt;
  std::string text = "Invalid configuration:";
  for (const auto& e : errors) text += "\n" + (e.path.empty() ? "" : e.path + ": ") + e.message;
  return text_response(400, text);
}

}  // namespace

config_check check_patch_config(const http_request& request, const node_snapshot& snapshot) {
  auto body = read_json_body(request);
  if (auto* error = std::get_if<http_response>(&body)) return std::move(*error);
  const auto& view = snapshot.view;
  // Patroni answers a bare 503 when the key is missing: it needs a version to compare against.
  if (!view || !view->config || view->config_version.value < 0)
    return html_error_page(503, "The server cannot process the request due to a high load");
  json::object changed = *view->config;
  if (!config::patch_config(changed, std::get<json::object>(body)))
    return json_response(200, json::serialize(changed));
  if (auto refused = refusal(changed)) return std::move(*refused);
  return change_config{std::move(changed), view->config_version};
}

config_check check_put_config(const http_request& request, const node_snapshot& snapshot) {
  auto body = read_json_body(request);
  if (auto* error = std::get_if<http_response>(&body)) return std::move(*error);
  auto& wanted = std::get<json::object>(body);
  if (snapshot.view && snapshot.view->config && *snapshot.view->config == wanted)
    return json_response(200, json::serialize(wanted));
  if (auto refused = refusal(wanted)) return std::move(*refused);
  return change_config{std::move(wanted), znode_version{-1}};
}

http_response config_change_answer(bool put, const change_config& asked,
                                   const config_change_result& result) {
  if (result.ok) return json_response(200, json::serialize(asked.config));
  if (put) return html_error_page(502, "Invalid responses from another server/proxy");
  if (result.conflict) return html_error_page(409, "Request conflict");
  return html_error_page(503, "The server cannot process the request due to a high load");
}

}  // namespace praetor::rest

#include "actors/rest_frontend/reinitialize_request.hpp"

#include "actors/rest_frontend/router.hpp"
#include "config/patroni_values.hpp"

namespace praetor::rest {

std::variant<http_response, reinitialize_request> check_reinitialize_request(
    const http_request& request) {
  auto read = read_optional_json_body(request);
  if (auto* error = std::get_if<http_response>(&read)) return std::move(*error);
  const auto& body = std::get<boost::json::object>(read);
  reinitialize_request r;
  if (const auto* force = body.if_contains("force"))
    r.force = config::parse_bool(*force).value_or(false);
  return r;
}

http_response reinitialize_response(const reinitialize_answer& answer) {
  return text_response(answer.started ? 200 : 503, answer.text);
}

}  // namespace praetor::rest

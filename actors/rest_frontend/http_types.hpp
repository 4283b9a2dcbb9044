// The request and response values of the REST API (declared in messages/http.hpp, because
// the requests the rest_frontend actor answers travel to it in a CAF message), and Python's
// reason phrases for their status codes.
#pragma once

#include <optional>
#include <string_view>

#include "messages/http.hpp"

namespace praetor::rest {

using praetor::http_request;
using praetor::http_response;

// The reason phrase Python's http.server writes for a code ("OK", "Service Unavailable", ...).
const char* reason_phrase(int status);

// The value of the first header named `name` (compared without case); nullopt when absent.
std::optional<std::string_view> header_value(const http_request& request, std::string_view name);

}  // namespace praetor::rest

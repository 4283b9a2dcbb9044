// restapi.authentication: HTTP Basic auth on the unsafe methods, as Patroni's check_access
// does it (allowlists and client certificates are not supported yet). GET, HEAD and OPTIONS
// never need it, so health checks keep working without credentials.
//
// Pure; the object is immutable after construction, so any thread may call check().
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/settings.hpp"

namespace praetor::rest {

// POST, PUT, PATCH and DELETE: the methods that change something and so need auth.
bool is_unsafe_method(std::string_view method);

class basic_auth {
 public:
  // No username in the settings: everyone is allowed.
  explicit basic_auth(const rest_settings& settings);

  // nullopt when the request may proceed, else the 401 to answer: "no auth header received"
  // or "not authenticated", with WWW-Authenticate: Basic realm="Patroni".
  std::optional<http_response> check(const http_request& request) const;

 private:
  std::string expected_;  // base64 of "username:password", as the header carries it; "" = off
};

// RFC 4648 base64 with padding.
std::string base64_encode(std::string_view bytes);

// The Authorization header value a client sends for restapi.authentication:
// "Basic <base64 of username:password>", or "" when there is no username.
std::string basic_authorization(const std::string& username, const std::string& password);

}  // namespace praetor::rest

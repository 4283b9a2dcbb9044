#include "actors/rest_frontend/basic_auth.hpp"

#include <algorithm>

#include "actors/rest_frontend/router.hpp"

namespace praetor::rest {
namespace {

// Time depends on the lengths only, never on where the first difference is, so that a client
// cannot find the key byte by byte (Patroni uses hmac.compare_digest for the same reason).
bool same_secret(std::string_view given, std::string_view expected) {
  volatile unsigned char diff = given.size() == expected.size() ? 0 : 1;
  const std::size_t n = std::max(given.size(), expected.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    const auto b = i < expected.size() ? static_cast<unsigned char>(expected[i]) : 0;
    diff = diff | static_cast<unsigned char>(a ^ b);
  }
  return diff == 0;
}

http_response unauthorized(std::string reason) {
  auto r = text_response(401, std::move(reason));
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Patroni\"");
  return r;
}

}  // namespace

bool is_unsafe_method(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

basic_auth::basic_auth(const rest_settings& settings) {
  if (!settings.username.empty())
    expected_ = base64_encode(settings.username + ":" + settings.password);
}

std::optional<http_response> basic_auth::check(const http_request& request) const {
  if (expected_.empty()) return std::nullopt;
  auto header = header_value(request, "Authorization");
  if (!header) return unauthorized("no auth header received");
  constexpr std::string_view scheme = "Basic ";
  if (!header->starts_with(scheme) || !same_secret(header->substr(scheme.size()), expected_))
    return unauthorized("not authenticated");
  return std::nullopt;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += rest == 2 ? alphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::string basic_authorization(const std::string& username, const std::string& password) {
  if (username.empty()) return "";
  return "Basic " + base64_encode(username + ":" + password);
}

}  // namespace praetor::rest

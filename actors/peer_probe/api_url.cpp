#include "actors/peer_probe/api_url.hpp"

// Boost.URL is compiled here, once for the whole program (Debian ships no libboost_url).
// Any other target that wants Boost.URL should link praetor_peer_probe or move this include.
#include <boost/url/parse.hpp>
#include <boost/url/src.hpp>

namespace praetor::peers {

std::variant<api_target, std::string> parse_api_url(std::string_view url) {
  const std::string quoted = "\"" + std::string(url) + "\"";
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) return "api_url " + quoted + " is not a URL (" + parsed.error().message() + ")";
  const auto& u = *parsed;
  api_target out;
  out.tls = u.scheme_id() == boost::urls::scheme::https;
  if (!out.tls && u.scheme_id() != boost::urls::scheme::http)
    return "api_url " + quoted + " is not an http:// or https:// URL";
  if (!u.has_authority() || u.encoded_host().empty()) return "api_url " + quoted + " names no host";

  http_target& t = out.http;
  t.host = u.host_address();  // IPv6 literals come without their brackets
  if (u.has_port()) {
    if (u.port_number() == 0) return "api_url " + quoted + " has no valid port";
    t.port = std::to_string(u.port_number());
  } else {
    t.port = out.tls ? "443" : "80";
  }
  t.host_header = u.encoded_host_and_port();
  t.target = u.encoded_target();  // path and query, still percent-encoded, no fragment
  if (t.target.empty() || t.target.front() != '/') t.target.insert(0, "/");
  return out;
}

}  // namespace praetor::peers

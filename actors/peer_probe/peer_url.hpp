// Splitting a member's api_url ("http://host:port/patroni") into what an HTTP GET needs.
// Pure; any thread.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace praetor::peers {

struct http_target {
  std::string host;    // a name or an address; IPv6 without the brackets
  std::string port;    // "80" when the URL names none
  std::string target;  // path and query, "/" when empty
  std::string host_header;  // host[:port] as written in the URL, for the Host header
  bool operator==(const http_target&) const = default;
};

// An http:// URL -> its target; anything else -> a sentence naming the URL and what is wrong
// (https is reported as not supported yet, not as malformed).
std::variant<http_target, std::string> parse_http_url(std::string_view url);

}  // namespace praetor::peers

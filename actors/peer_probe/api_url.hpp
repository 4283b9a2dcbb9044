// A member's api_url, http:// or https:// (docs/compatibility.md, "ZooKeeper layout and values":
// https iff the member's restapi.certfile is set), split into what a request needs: the peer prober
// and praetorctl address members with it. Pure; any thread.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace praetor::peers {

struct http_target {
  std::string host;         // a name or an address; IPv6 without the brackets
  std::string port;         // "80" ("443" for https) when the URL names none
  std::string target;       // path and query, "/" when empty
  std::string host_header;  // host[:port] as written in the URL, for the Host header
  bool operator==(const http_target&) const = default;
};

struct api_target {
  http_target http;  // host, port ("80", or "443" for https, when the URL names none), target
  bool tls = false;  // https://
  bool operator==(const api_target&) const = default;
};

// An http:// or https:// URL -> its target; anything else -> a sentence naming the URL and
// what is wrong.
std::variant<api_target, std::string> parse_api_url(std::string_view url);

}  // namespace praetor::peers

// Splits an HTTP request target into its path and query parameters the way Patroni does
// (urllib's urlparse + parse_qs): the query is cut off, '+' and %XX are decoded in the
// parameters, blank values are dropped, and a repeated key keeps its first value.
// Pure; any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace praetor::rest {

using query_params = std::map<std::string, std::string, std::less<>>;

struct request_target {
  std::string path;     // "/replica" (never empty: "" becomes "/")
  query_params query;   // {"lag": "16MB", "tag_zone": "a"}
};

request_target parse_request_target(std::string_view target);

// The first path segment, which picks the handler: "/patroni/x" -> "patroni", "/" -> "".
std::string_view first_path_segment(std::string_view path);

}  // namespace praetor::rest

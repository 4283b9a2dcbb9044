#include "actors/rest_frontend/restart_request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <vector>

#include "actors/rest_frontend/router.hpp"
#include "actors/rest_frontend/snapshot_facts.hpp"

namespace praetor::rest {

namespace {

std::optional<int> whole_number(std::string_view s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Patroni's parse_int(value, 's'): a number of seconds, or text such as "30", "30s", "2min".
std::optional<int> seconds_of(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<int>(v.get_int64());
  if (v.is_uint64()) return static_cast<int>(v.get_uint64());
  if (!v.is_string()) return std::nullopt;
  std::string_view s = v.get_string();
  std::size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  auto n = whole_number(s.substr(0, digits));
  if (!n) return std::nullopt;
  auto unit = s.substr(digits);
  if (unit.empty() || unit == "s") return *n;
  if (unit == "min") return *n * 60;
  if (unit == "h") return *n * 3600;
  if (unit == "d") return *n * 86400;
  if (unit == "ms") return *n / 1000;
  return std::nullopt;
}

std::string text_of(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return boost::json::serialize(v);
}

}  // namespace

std::optional<int> postgres_version_number(const std::string& text) {
  std::vector<int> parts;
  std::size_t start = 0;
  while (true) {
    auto dot = text.find('.', start);
    auto part = whole_number(std::string_view(text).substr(start, dot - start));
    if (!part || *part < 0) return std::nullopt;
    parts.push_back(*part);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  // 10 and later: major.minor -> major * 10000 + minor; 9.x.y -> 9 * 10000 + x * 100 + y.
  if (parts[0] >= 10) return parts.size() == 2 ? parts[0] * 10000 + parts[1] : std::optional<int>{};
  return parts[0] * 10000 + parts[1] * 100 + (parts.size() == 3 ? parts[2] : 0);
}

std::variant<http_response, restart_postgres> check_restart_request(const http_request& request,
                                                                    const node_snapshot& snapshot) {
  boost::json::object body;
  // The body is optional, and {} (what patronictl sends without options) means no filter.
  boost::system::error_code ec;
  auto parsed = boost::json::parse(request.body, ec);
  bool empty_object = !ec && parsed.is_object() && parsed.get_object().empty();
  if (!request.body.empty() && !empty_object) {
    auto read = read_json_body(request);
    if (auto* error = std::get_if<http_response>(&read)) return std::move(*error);
    body = std::get<boost::json::object>(std::move(read));
  }
  if (body.contains("schedule")) {
    if (is_paused(snapshot))
      return text_response(500, "Can't schedule restart in the paused state");
    return text_response(400,
                         "scheduled restarts are not supported by praetor yet: restart now "
                         "(without schedule) when the time comes");
  }
  std::optional<int> wanted_version;
  for (const auto& [key, value] : body) {
    if (key == "role") {
      auto role = text_of(value);
      if (role != "master" && role != "primary" && role != "replica")
        return text_response(400, "PostgreSQL role should be either primary or replica");
    } else if (key == "postgres_version") {
      wanted_version = postgres_version_number(text_of(value));
      if (!wanted_version)
        return text_response(
            400, "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: " + text_of(value));
    } else if (key == "timeout") {
      auto s = seconds_of(value);
      if (!s || *s <= 0)
        return text_response(400, "Timeout should be a positive number of seconds");
    } else if (key != "restart_pending") {
      return text_response(400, "Unknown filter for the scheduled restart: " + std::string(key));
    }
  }
  const auto& pg = snapshot.pg;
  if (pg.state == "starting") return text_response(503, "postgres is still starting");
  bool matches = true;
  if (const auto* role = body.if_contains("role")) {
    bool want_primary = text_of(*role) != "replica";
    matches = matches && (pg.role == pg_role::primary) == want_primary;
  }
  if (wanted_version) matches = matches && pg.server_version < *wanted_version;
  if (const auto* p = body.if_contains("restart_pending");
      p && !p->is_null() && !(p->is_bool() && !p->get_bool()))
    matches = matches && pg.pending_restart;
  if (!matches) return text_response(503, "restart conditions are not satisfied");
  return restart_postgres{};
}

http_response restart_answer(const restart_result& result) {
  return result.ok ? text_response(200, "restarted successfully")
                   : text_response(503, "restart failed");
}

}  // namespace praetor::rest

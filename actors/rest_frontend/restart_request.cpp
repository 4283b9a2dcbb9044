#include "actors/rest_frontend/restart_request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <vector>

#include "actors/rest_frontend/router.hpp"
#include "actors/rest_frontend/schedule_time.hpp"
#include "actors/rest_frontend/snapshot_facts.hpp"
#include "messages/iso_time.hpp"

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

std::variant<int, std::string> postgres_version_number(const std::string& text) {
  std::vector<int> parts;
  std::size_t start = 0;
  while (true) {
    auto dot = text.find('.', start);
    auto part = whole_number(std::string_view(text).substr(start, dot - start));
    if (!part || *part < 0) return "Invalid PostgreSQL version: " + text;
    parts.push_back(*part);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || (parts.size() == 2 && parts[0] < 10))
    return "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: " + text;
  // Patroni pads each part to two digits: 10.1 -> 10 00 01, 9.6.3 -> 9 06 03.
  if (parts.size() == 2) parts.insert(parts.begin() + 1, 0);
  return (parts[0] * 100 + parts[1]) * 100 + parts[2];
}

std::variant<http_response, restart_postgres> check_restart_request(const http_request& request,
                                                                    const node_snapshot& snapshot,
                                                                    std::int64_t now_ms) {
  // The body is optional, and {} (what patronictl sends without options) means no filter.
  auto read = read_optional_json_body(request);
  if (auto* error = std::get_if<http_response>(&read)) return std::move(*error);
  auto body = std::get<boost::json::object>(std::move(read));
  if (body.contains("schedule") && is_paused(snapshot))
    return text_response(500, "Can't schedule restart in the paused state");
  restart_postgres restart;
  for (const auto& [key, value] : body) {
    if (key == "schedule") {
      auto when = parse_schedule(text_of(value), "restart", now_ms);
      if (when.refusal) return std::move(*when.refusal);
      restart.at_ms = when.epoch_ms;
    } else if (key == "role") {
      auto role = text_of(value);
      if (role != "master" && role != "primary" && role != "replica")
        return text_response(400, "PostgreSQL role should be either primary or replica");
      restart.conditions.role = role == "replica" ? "replica" : "primary";
    } else if (key == "postgres_version") {
      auto version = postgres_version_number(text_of(value));
      if (auto* why = std::get_if<std::string>(&version)) return text_response(400, *why);
      restart.conditions.below_version = std::get<int>(version);
    } else if (key == "timeout") {
      auto s = seconds_of(value);
      if (!s || *s <= 0)
        return text_response(400, "Timeout should be a positive number of seconds");
    } else if (key == "restart_pending") {
      restart.conditions.only_pending = !value.is_null() && !(value.is_bool() && !value.get_bool());
    } else {
      return text_response(400, "Unknown filter for the scheduled restart: " + std::string(key));
    }
  }
  if (restart.at_ms) {
    // Published in the member record as Patroni does: the request, its time in ISO form.
    restart.published = body;
    restart.published["schedule"] = format_iso_time(restart.at_ms);
  }
  return restart;
}

http_response restart_answer(const restart_result& result) {
  switch (result.outcome) {
    case restart_outcome::restarted:
      return text_response(200, "restarted successfully");
    case restart_outcome::refused:
      return text_response(503, result.detail);
    case restart_outcome::scheduled:
      return text_response(202, "Restart scheduled");
    case restart_outcome::already_scheduled:
      return text_response(409, "Another restart is already scheduled");
    case restart_outcome::failed:
      break;
  }
  return text_response(503, "restart failed");
}

http_response delete_restart_answer(bool deleted) {
  return deleted ? text_response(200, "scheduled restart deleted")
                 : text_response(404, "no restarts are scheduled");
}

}  // namespace praetor::rest

#include "actors/rest_frontend/health_check.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "actors/rest_frontend/snapshot_facts.hpp"

namespace praetor::rest {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Python's str(x).lower() for a non-string tag value: True -> "true", 5 -> "5", 1.0 -> "1.0".
std::string python_str_lower(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case boost::json::kind::int64:
      return std::to_string(v.get_int64());
    case boost::json::kind::uint64:
      return std::to_string(v.get_uint64());
    case boost::json::kind::double_: {
      double d = v.get_double();
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      std::string text(buf, ec == std::errc{} ? end : buf);
      if (std::isfinite(d) && text.find_first_of(".e") == std::string::npos) text += ".0";
      return text;
    }
    case boost::json::kind::string:
      return std::string(v.get_string());
    default:
      return boost::json::serialize(v);  // objects/arrays: close enough, never equal
  }
}

// tag_<key>=<value> parameters: every one must name a tag we carry with that value.
bool tags_match(const query_params& query, const boost::json::object& tags) {
  constexpr std::string_view prefix = "tag_";
  for (const auto& [key, wanted] : query) {
    if (!std::string_view(key).starts_with(prefix)) continue;
    auto it = tags.find(std::string_view(key).substr(prefix.size()));
    if (it == tags.end() || it->value().is_null()) return false;
    if (python_str_lower(it->value()) != wanted) return false;
  }
  return true;
}

// The codes Patroni's do_GET derives before it looks at the path.
struct leader_codes {
  int leader = 503;
  int primary = 503;
  int standby_leader = 503;
};

leader_codes leader_type_codes(const node_snapshot& s, const cluster_view* cache,
                               const std::string& role) {
  leader_codes c;
  if (!cache && is_paused(s)) {
    // Without a view the lock flag means little while paused: Patroni falls back to the role.
    c.leader = (role == "master" || role == "standby_leader") ? 200 : 503;
    c.primary = role == "master" ? 200 : 503;
    c.standby_leader = role == "standby_leader" ? 200 : 503;
  } else if (s.has_lock) {
    c.leader = 200;
    if (is_standby_cluster(s)) {
      c.standby_leader = (role == "replica" || role == "standby_leader") ? 200 : 503;
    } else {
      c.primary = 200;
    }
  }
  return c;
}

bool is_lagging(const node_snapshot& s, const cluster_view* cache, const query_params& query) {
  if (!cache || cache->optime.value == 0) return false;
  auto it = query.find("lag");
  if (it == query.end()) return false;
  auto max_lag = parse_lag_bytes(it->second);
  if (!max_lag) return false;
  // The primary's status has no replayed_location: Patroni reads it as 0.
  std::uint64_t replayed = (pg_answers_queries(s.pg) && s.pg.role == pg_role::replica)
                               ? s.pg.replayed_location.value
                               : 0;
  constexpr std::int64_t bound = std::int64_t{1} << 62;  // keep the sum from overflowing
  std::int64_t lag = std::clamp(*max_lag, -bound, bound);
  auto optime = static_cast<std::int64_t>(std::min<std::uint64_t>(cache->optime.value, bound));
  auto replay = static_cast<std::int64_t>(std::min<std::uint64_t>(replayed, bound));
  return optime > replay + lag;
}

}  // namespace

int health_status(std::string_view path, const query_params& query, const node_snapshot& s,
                  std::int64_t now_ms) {
  if (path == "/") path = "/primary";
  const cluster_view* cache = fresh_view(s, now_ms);
  const std::string role = reported_role(s);
  const std::string state = reported_state(s.pg);

  leader_codes lc = leader_type_codes(s, cache, role);
  int replica = (!has_noloadbalance(s) && !is_lagging(s, cache, query) && role == "replica" &&
                 state == "running")
                    ? 200
                    : 503;
  if (s.has_lock && is_standby_cluster(s) && !(!cache && is_paused(s))) replica = 503;

  int status = 503;
  bool ignore_tags = false;
  if (contains(path, "standby_leader") || contains(path, "standby-leader")) {
    status = lc.standby_leader;
    ignore_tags = true;
  } else if (contains(path, "leader")) {
    status = lc.leader;
    ignore_tags = true;
  } else if (contains(path, "master") || contains(path, "primary") ||
             contains(path, "read-write")) {
    status = lc.primary;
    ignore_tags = true;
  } else if (contains(path, "replica")) {
    status = replica;
  } else if (contains(path, "read-only") && !contains(path, "sync") && !contains(path, "quorum")) {
    status = (lc.primary == 200 || lc.standby_leader == 200) ? 200 : replica;
  } else if (contains(path, "health")) {
    status = state == "running" ? 200 : 503;
  } else if (cache) {
    // GET /patroni's sync_standby, as Patroni reads it from the same status object.
    const bool is_synchronous = is_sync_standby(s, now_ms);
    const bool is_quorum = is_quorum_standby(s, now_ms);
    if ((path == "/sync" || path == "/synchronous") && is_synchronous) {
      status = replica;
    } else if (path == "/quorum" && is_quorum) {
      status = replica;
    } else if ((path == "/async" || path == "/asynchronous") && !is_synchronous && !is_quorum) {
      status = replica;
    } else if (path == "/read-only-quorum") {
      if (lc.primary == 200 || lc.standby_leader == 200) {
        status = 200;
      } else if (is_quorum) {
        status = replica;
      }
    } else if (path == "/read-only-sync" || path == "/read-only-synchronous") {
      if (lc.primary == 200 || lc.standby_leader == 200) {
        status = 200;
      } else if (is_synchronous) {
        status = replica;
      }
    }
  }

  if (!ignore_tags && status == 200 && !tags_match(query, s.tags)) status = 503;
  return status;
}

int liveness_status(const node_snapshot& s, std::int64_t now_ms) {
  if (is_paused(s)) return 200;
  const bool running_primary = s.pg.role == pg_role::primary && s.pg.state == "running";
  const std::int64_t threshold_ms = std::int64_t{s.ttl} * 1000 * (running_primary ? 1 : 2);
  return s.next_loop_ms + threshold_ms > now_ms ? 200 : 503;
}

int readiness_status(const node_snapshot& s, std::int64_t now_ms) {
  if (s.has_lock) return 200;
  if (s.pg.state == "running") return fresh_view(s, now_ms) ? 200 : 503;
  return 503;
}

std::optional<std::int64_t> parse_lag_bytes(std::string_view text) {
  // strtol(3) with base 0, as Patroni's strtol(): optional sign, then 0x.., 0.. (octal) or decimal.
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty()) return std::nullopt;

  std::string_view digits = text;
  bool negative = false;
  if (digits.front() == '+' || digits.front() == '-') {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  int base = 10;
  std::size_t skip = 0;
  if (digits.size() > 2 && digits[0] == '0' && digits[1] == 'x' &&
      std::isxdigit(static_cast<unsigned char>(digits[2]))) {
    base = 16;
    skip = 2;
  } else if (!digits.empty() && digits[0] == '0') {
    base = 8;
  }
  std::uint64_t magnitude = 0;
  auto [end, ec] =
      std::from_chars(digits.data() + skip, digits.data() + digits.size(), magnitude, base);
  if (ec == std::errc::result_out_of_range) return std::nullopt;
  double value = 0;
  std::string_view unit;
  if (ec != std::errc{} ||
      (end < digits.data() + digits.size() && (*end == '.' || *end == 'e' || *end == 'E'))) {
    // A fraction or exponent: strtod(3) on the whole text.
    std::string copy(text);
    char* dend = nullptr;
    value = std::strtod(copy.c_str(), &dend);
    if (dend == copy.c_str()) return std::nullopt;
    unit = text.substr(static_cast<std::size_t>(dend - copy.c_str()));
  } else {
    value = static_cast<double>(magnitude) * (negative ? -1.0 : 1.0);
    unit = text.substr(static_cast<std::size_t>(end - text.data()));
  }
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front())))
    unit.remove_prefix(1);

  double multiplier = 1;
  if (unit.empty() || unit == "B") {
    multiplier = 1;
  } else if (unit == "kB") {
    multiplier = 1024.0;
  } else if (unit == "MB") {
    multiplier = 1024.0 * 1024;
  } else if (unit == "GB") {
    multiplier = 1024.0 * 1024 * 1024;
  } else if (unit == "TB") {
    multiplier = 1024.0 * 1024 * 1024 * 1024;
  } else {
    return std::nullopt;
  }
  double bytes = value * multiplier;
  // Patroni rounds to a whole number of the next smaller unit (1.5MB -> whole kB), half to even.
  if (multiplier > 1) {
    double smaller = multiplier / 1024.0;
    bytes = std::nearbyint(bytes / smaller) * smaller;
  }
  bytes = std::nearbyint(bytes);
  if (!std::isfinite(bytes) || std::fabs(bytes) > 9.0e18) return std::nullopt;
  return static_cast<std::int64_t>(bytes);
}

}  // namespace praetor::rest

#include "actors/peer_probe/peer_answer.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <optional>

#include "messages/cluster_flags.hpp"

namespace praetor::peers {

namespace json = boost::json;

namespace {

// A non-negative JSON number as an unsigned integer; nullopt otherwise.
std::optional<std::uint64_t> as_count(const json::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  if (v.is_double() && std::isfinite(v.get_double()) && v.get_double() >= 0)
    return static_cast<std::uint64_t>(v.get_double());
  return std::nullopt;
}

std::string excerpt(std::string_view body) {
  constexpr std::size_t max = 120;
  std::string s(body.substr(0, max));
  if (body.size() > max) s += "...";
  return s;
}

}  // namespace

std::string peer_label(const std::string& name, std::string_view url) {
  std::string s = "member " + name;
  if (!url.empty()) s += " (GET " + std::string(url) + ")";
  return s;
}

peer_status unreachable_peer(const std::string& name, std::string_view url,
                             std::string_view cause) {
  peer_status st;
  st.name = name;
  st.reachable = false;
  st.error = peer_label(name, url) + ": " + std::string(cause);
  return st;
}

peer_status parse_peer_answer(const std::string& name, int http_status, std::string_view body,
                              std::string_view url) {
  auto garbage = [&](std::string_view why) {
    return unreachable_peer(name, url,
                            "answered HTTP " + std::to_string(http_status) + " with " +
                                std::string(why) + ", not a Patroni status: '" + excerpt(body) +
                                "'");
  };

  json::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) return garbage("a body that is not JSON (" + ec.message() + ")");
  if (!doc.is_object()) return garbage("JSON that is not an object");
  const json::object& o = doc.get_object();

  // Patroni: json.get('wal', json.get('xlog')); "wal" wins when both are there.
  const json::value* wal = o.if_contains("wal");
  if (!wal) wal = o.if_contains("xlog");
  if (!wal) return garbage("an object holding neither \"wal\" nor \"xlog\"");
  if (!wal->is_object()) return garbage("a \"wal\"/\"xlog\" that is not an object");
  const json::object& w = wal->get_object();

  peer_status st;
  st.name = name;
  st.reachable = true;
  const json::value* location = w.if_contains("location");
  st.in_recovery = !python_truthy(location);
  if (!st.in_recovery) {
    st.wal_position = lsn{as_count(*location).value_or(0)};
  } else {
    std::uint64_t best = 0;
    for (const char* key : {"received_location", "replayed_location"}) {
      const json::value* v = w.if_contains(key);
      if (!v) continue;  // Python's default 0
      auto n = as_count(*v);
      if (!n) return garbage(std::string("a non-numeric xlog.") + key);
      best = std::max(best, *n);
    }
    st.wal_position = lsn{best};
  }
  if (const json::value* t = o.if_contains("timeline")) {
    if (auto n = as_count(*t); n && *n <= UINT32_MAX)
      st.tl = timeline{static_cast<std::uint32_t>(*n)};
  }
  if (const json::value* tags = o.if_contains("tags"); tags && tags->is_object()) {
    const auto& t = tags->get_object();
    st.nofailover = python_truthy(t.if_contains("nofailover"));
    if (const json::value* p = t.if_contains("failover_priority"); p && p->is_int64())
      st.failover_priority = static_cast<int>(p->get_int64());
    // Patroni 3.2+: a priority of 0 or below may never take over, like nofailover.
    if (st.failover_priority <= 0) st.nofailover = true;
  }
  st.watchdog_failed = python_truthy(o.if_contains("watchdog_failed"));
  return st;
}

peer_status peer_status_from(const std::string& name, std::string_view url,
                             const http_answer& answer) {
  if (!answer.answered) return unreachable_peer(name, url, answer.error);
  return parse_peer_answer(name, answer.http_status, answer.body, url);
}

}  // namespace praetor::peers

// Patroni 3.0.2's health checks (docs/compatibility.md, "REST API"): the status code that
// GET, HEAD and OPTIONS on a health path answer, from the latest node_snapshot alone. The
// method does not change the code, only whether a body follows (the router decides that).
// Pure: the time is an argument. Any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "actors/rest_frontend/request_target.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

// The code for a health path ("/", "/primary", "/replica", "/read-only", "/health",
// "/no-such-path", ...). Paths are matched by substring in Patroni's order; query parameters
// `lag` (bytes, or with a unit: "16MB") and `tag_<key>=<value>` refine the non-leader checks.
// "/sync", "/async" and "/read-only-sync" (and their "-synchronous" spellings) need a fresh
// view and tell the replicas apart by is_sync_standby, GET /patroni's sync_standby.
int health_status(std::string_view path, const query_params& query, const node_snapshot& s,
                  std::int64_t now_ms);

// GET /liveness: 200 while paused or while the HA loop is not overdue by more than ttl
// (2 x ttl unless this is a running primary); else 503.
int liveness_status(const node_snapshot& s, std::int64_t now_ms);

// GET /readiness: 200 when holding the lock, or when PostgreSQL runs and a fresh cluster view
// exists; else 503.
int readiness_status(const node_snapshot& s, std::int64_t now_ms);

// Patroni's parse_int(value, 'B'): "1024", "16MB", "1.5kB", "0x400"; nullopt when it does not
// parse or the unit is not B, kB, MB, GB or TB (the caller then applies no lag limit).
std::optional<std::int64_t> parse_lag_bytes(std::string_view text);

}  // namespace praetor::rest

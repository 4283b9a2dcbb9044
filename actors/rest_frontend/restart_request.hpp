// POST /restart and DELETE /restart, judged the way Patroni 3.0.2's do_POST_restart does
// (docs/compatibility.md, "REST API"): the body's schedule and filters (role, postgres_version,
// restart_pending, timeout) are checked here (400 or 422 naming the bad one); the supervisor
// matches the filters against the running instance when the restart is due (503 "restart
// conditions are not satisfied") and keeps a scheduled one (202, or 409 if one is waiting).
// `timeout` is checked but not used: the supervisor bounds the restart by pg_ctl_timeout.
//
// Pure: the snapshot is an argument, no I/O. Any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

// Patroni's postgres_version_to_int: "X.Y.Z", or "X.Y" from 10 on, as a server_version_num
// (15.2 -> 150002, 9.6.3 -> 90603); else Patroni's complaint ("Invalid PostgreSQL version: ..."
// or "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: ...").
std::variant<int, std::string> postgres_version_number(const std::string& text);

// restart_postgres to send to the supervisor, or the answer to give at once.
std::variant<http_response, restart_postgres> check_restart_request(const http_request& request,
                                                                    const node_snapshot& snapshot,
                                                                    std::int64_t now_ms);

// Patroni's answers: 200 "restarted successfully", 503 with the refusal or "restart failed"
// (the failure's reason is logged, as Patroni), 202 "Restart scheduled", 409.
http_response restart_answer(const restart_result& result);

// DELETE /restart: 200 "scheduled restart deleted" or 404 "no restarts are scheduled".
http_response delete_restart_answer(bool deleted);

}  // namespace praetor::rest

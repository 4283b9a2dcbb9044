// POST /restart, judged the way Patroni 3.0.2's do_POST_restart and Ha.restart_matches do
// (patroni-compat.md 3.6): the body's filters (role, postgres_version, restart_pending,
// timeout) are checked first (400 naming the bad one), then matched against this node's
// latest status (503 "restart conditions are not satisfied" when one does not hold). A
// `schedule` is refused: praetor restarts only at once, for now.
//
// Pure: the snapshot is an argument, no I/O. Any thread.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

// "X.Y" or "X.Y.Z" as PostgreSQL's server_version_num (15.2 -> 150002, 9.6.3 -> 90603);
// nullopt when it is not a version.
std::optional<int> postgres_version_number(const std::string& text);

// restart_postgres to send to the supervisor, or the answer to give at once.
std::variant<http_response, restart_postgres> check_restart_request(const http_request& request,
                                                                    const node_snapshot& snapshot);

// 200 "restarted successfully" or 503 "restart failed" (the reason is logged, as Patroni).
http_response restart_answer(const restart_result& result);

}  // namespace praetor::rest

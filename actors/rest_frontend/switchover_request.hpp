// POST /switchover, POST /failover and DELETE /switchover, judged against the latest snapshot
// the way Patroni 3.0.2's do_POST_failover, is_failover_possible and do_DELETE_switchover do,
// with the same status codes and sentences. One difference: Patroni asks each candidate's REST
// API whether it may take over; here the member records in the view decide (they are
// ephemeral znodes, so a record proves its daemon's session is alive), and a named candidate
// that does not qualify is refused with the reason.
//
// Pure: the snapshot and the time are arguments, no I/O. Any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/dcs.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

enum class failover_action { switchover, failover };

std::string_view action_name(failover_action a);  // "switchover", "failover"
std::string action_title(failover_action a);      // "Switchover", "Failover"

// A request that passed every check: what to write into the failover key.
struct failover_plan {
  failover_request request;       // leader, member, scheduled_at (version unused)
  bool scheduled = false;         // answer 202 once written instead of waiting for the result
  std::string leader_at_request;  // the view's lock holder when asked, "" when there is none
};

// The refusal to answer, or the plan.
using failover_check = std::variant<http_response, failover_plan>;

failover_check check_failover_request(failover_action action, const http_request& request,
                                      const node_snapshot& snapshot, std::int64_t now_ms);

// Why `m` cannot take over from the leader, or nullopt when it is a good candidate: it runs
// and is not tagged nofailover (Patroni's failover_limitation, from the member record; the
// leader judges lag itself when it acts).
std::optional<std::string> candidate_limitation(const member_record& m);

// DELETE /switchover: the compare-and-set clear to send when a scheduled request exists,
// else the 404 to answer.
std::variant<http_response, write_failover> check_delete_switchover(const node_snapshot& s);

}  // namespace praetor::rest

#include "actors/rest_frontend/failover_progress.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "actors/rest_frontend/router.hpp"

namespace praetor::rest {

std::optional<http_response> failover_outcome(failover_waiter& w, const cluster_view* view,
                                              const std::string& decision) {
  if (!view) return std::nullopt;
  // "switched"/"failed" come from the action's name without "over", as Patroni builds them.
  const std::string verb = w.action == failover_action::switchover ? "switch" : "fail";
  if (view->leader && view->leader->name != w.leader_at_request) {
    const std::string& now = view->leader->name;
    if (w.candidate.empty() || w.candidate == now)
      return text_response(200, fmt::format("Successfully {}ed over to \"{}\"", verb, now));
    std::string title = verb;
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
    return text_response(
        200, fmt::format("{}ed over to \"{}\" instead of \"{}\"", title, now, w.candidate));
  }
  if (view->failover) {
    w.key_seen = true;
    if (decision.rfind("manual failover:", 0) == 0) w.holder_said = decision;
  } else if (w.key_seen && view->leader) {
    // Only the lock holder (refusing) or the member taking the lock clears the key. Unlocked
    // and without the key is a view read between the new lock and the clearing (the loader reads
    // the znodes one by one): the new leader shows in the next view.
    return text_response(503, action_title(w.action) + " failed" +
                                  (w.holder_said.empty() ? "" : ": " + w.holder_said));
  }
  return std::nullopt;
}

http_response failover_status_unknown(const failover_waiter& w) {
  return text_response(503, action_title(w.action) + " status unknown");
}

std::chrono::seconds failover_wait(int loop_wait) {
  return std::chrono::seconds(2 * std::max(10, loop_wait));
}

}  // namespace praetor::rest

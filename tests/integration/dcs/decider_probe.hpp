// A fake HA decider for dcs_session tests: collects what it is told, so that a test thread
// can wait for a message matching a predicate. Any thread may read the inbox under its mutex.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "messages/actors.hpp"

namespace praetor::test {

struct decider_inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<cluster_view> views;
  std::vector<dcs_session_status> statuses;
  std::vector<dcs_result> results;

  // Waits until `pred(*this)` holds (called with the mutex held); false on timeout.
  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [&] { return pred(*this); });
  }
  bool has_result(const std::string& op) const {
    for (const auto& r : results)
      if (r.op == op) return true;
    return false;
  }
  dcs_result last_result(const std::string& op) const {
    for (auto it = results.rbegin(); it != results.rend(); ++it)
      if (it->op == op) return *it;
    return {};
  }
};

inline ha_decider_actor::behavior_type fake_decider(ha_decider_actor::pointer,
                                                    std::shared_ptr<decider_inbox> box) {
  auto keep = [box](auto member, auto value) {
    std::lock_guard lock(box->mu);
    ((*box).*member).push_back(std::move(value));
    box->cv.notify_all();
  };
  return {
      [keep](const cluster_view& v) { keep(&decider_inbox::views, v); },
      [keep](const dcs_session_status& s) { keep(&decider_inbox::statuses, s); },
      [keep](const dcs_result& r) { keep(&decider_inbox::results, r); },
      [](const pg_status&) {},
      [](const slot_report&) {},
      [](const loop_tick&) {},
      [](const peer_statuses&) {},
      [](const ha_peers&) {},
      [](reload_config) {},
      [](const reinitialize_request&) { return reinitialize_answer{}; },
      [](const failsafe_answers&) {},
      [](const failsafe_notice&) { return failsafe_reply{}; },
      [](metrics_report) { return actor_metrics{}; },
  };
}

}  // namespace praetor::test

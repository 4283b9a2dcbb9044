// A stand-in for the HA decider in peer_probe tests: a typed actor with the decider's
// interface that puts every peer_statuses (with its arrival time) and every failsafe_answers
// into an inbox and ignores the rest. The test thread waits on the inbox; any thread may use it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "messages/actors.hpp"

namespace praetor::test {

class peer_statuses_inbox {
 public:
  struct arrival {
    peer_statuses statuses;
    std::chrono::steady_clock::time_point at;
  };

  void push(peer_statuses s) {
    {
      std::lock_guard lock(mutex_);
      arrivals_.push_back({std::move(s), std::chrono::steady_clock::now()});
    }
    cv_.notify_all();
  }

  void push_failsafe(failsafe_answers a) {
    {
      std::lock_guard lock(mutex_);
      failsafe_.push_back(std::move(a));
    }
    cv_.notify_all();
  }

  // The oldest failsafe_answers not yet taken, waiting up to `timeout` for one.
  std::optional<failsafe_answers> next_failsafe(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, timeout, [&] { return !failsafe_.empty(); })) return std::nullopt;
    auto a = std::move(failsafe_.front());
    failsafe_.pop_front();
    return a;
  }

  // The oldest arrival not yet taken, waiting up to `timeout` for one.
  std::optional<arrival> next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, timeout, [&] { return !arrivals_.empty(); })) return std::nullopt;
    auto a = std::move(arrivals_.front());
    arrivals_.pop_front();
    return a;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<arrival> arrivals_;
  std::deque<failsafe_answers> failsafe_;
};

inline ha_decider_actor::behavior_type fake_decider(ha_decider_actor::pointer,
                                                    std::shared_ptr<peer_statuses_inbox> inbox) {
  return {
      [](const cluster_view&) {},
      [](const dcs_session_status&) {},
      [](const pg_status&) {},
      [](const dcs_result&) {},
      [](const slot_report&) {},
      [](const loop_tick&) {},
      [inbox](const peer_statuses& s) { inbox->push(s); },
      [](const ha_peers&) {},
      [](reload_config) {},
      [](const reinitialize_request&) { return reinitialize_answer{}; },
      [inbox](const failsafe_answers& a) { inbox->push_failsafe(a); },
      [](const failsafe_notice&) { return failsafe_reply{}; },
      [](metrics_report) { return actor_metrics{}; },
  };
}

}  // namespace praetor::test

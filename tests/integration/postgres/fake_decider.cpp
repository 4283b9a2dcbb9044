#include "tests/integration/postgres/fake_decider.hpp"

namespace praetor::test {

void decider_inbox::push(pg_status s) {
  {
    std::lock_guard lock(mutex_);
    last_ = s;
    statuses_.push_back(std::move(s));
  }
  cv_.notify_all();
}

void decider_inbox::push(slot_report r) {
  {
    std::lock_guard lock(mutex_);
    reports_.push_back(std::move(r));
  }
  cv_.notify_all();
}

pg_status decider_inbox::last_status() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::optional<pg_status> decider_inbox::wait_status(
    const std::function<bool(const pg_status&)>& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    while (!statuses_.empty()) {
      auto s = std::move(statuses_.front());
      statuses_.pop_front();
      if (pred(s)) return s;
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && statuses_.empty())
      return std::nullopt;
  }
}

std::optional<slot_report> decider_inbox::wait_report(
    const std::function<bool(const slot_report&)>& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    while (!reports_.empty()) {
      auto r = std::move(reports_.front());
      reports_.pop_front();
      if (pred(r)) return r;
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && reports_.empty())
      return std::nullopt;
  }
}

ha_decider_actor::behavior_type fake_decider(ha_decider_actor::pointer,
                                             std::shared_ptr<decider_inbox> inbox) {
  return {
      [](const cluster_view&) {},
      [](const dcs_session_status&) {},
      [inbox](const pg_status& s) { inbox->push(s); },
      [](const dcs_result&) {},
      [inbox](const slot_report& r) { inbox->push(r); },
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

// A stand-in for the HA decider in PostgreSQL integration tests: it collects every pg_status
// and slot_report into a thread-safe inbox that the test thread waits on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "messages/actors.hpp"

namespace praetor::test {

class decider_inbox {
 public:
  void push(pg_status s);
  void push(slot_report r);
  // Waits until a pg_status satisfying `pred` arrives (older ones are consumed), or timeout.
  std::optional<pg_status> wait_status(const std::function<bool(const pg_status&)>& pred,
                                       std::chrono::milliseconds timeout);
  std::optional<slot_report> wait_report(const std::function<bool(const slot_report&)>& pred,
                                         std::chrono::milliseconds timeout);
  pg_status last_status() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<pg_status> statuses_;
  std::deque<slot_report> reports_;
  pg_status last_;
};

ha_decider_actor::behavior_type fake_decider(ha_decider_actor::pointer self,
                                             std::shared_ptr<decider_inbox> inbox);

}  // namespace praetor::test

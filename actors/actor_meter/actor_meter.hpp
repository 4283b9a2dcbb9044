// The counting side of per-actor metrics: one actor_meter lives in one actor's state and is
// touched only from that actor's handlers (no locks; not thread-safe). The actor records each
// handled message with its handling time, sets its gauges and counts in its named families,
// and sends snapshot() where the metrics are served.
//
// Cheap on the hot path: a type is looked up once (type_slot, usually when the behaviour is
// built by measured(), see measured.hpp); record() then only adds to fixed-size counters
// and allocates nothing.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "messages/actor_metrics.hpp"

namespace praetor {

class actor_meter {
 public:
  // Where one message type's statistics are kept; valid for the meter's lifetime.
  struct type_slot {
    std::size_t index = 0;
  };

  explicit actor_meter(std::string actor);

  const std::string& actor() const { return actor_; }

  // The slot of `type`, created (with count 0) the first time.
  type_slot slot(std::string_view type);

  // One message handled in `took`. A negative duration counts as zero.
  void record(type_slot slot, std::chrono::nanoseconds took);
  void record(std::string_view type, std::chrono::nanoseconds took) { record(slot(type), took); }

  void set_mailbox_depth(std::uint64_t depth) { mailbox_depth_ = depth; }
  void set_actions_in_flight(std::uint64_t n) { actions_in_flight_ = n; }

  // Adds `n` to the counter of `family` (one of metric_families::named) with its label set to
  // `label_value` ("" for a family without a label).
  void count(const metric_family& family, std::string_view label_value = {}, std::uint64_t n = 1);

  // A state gauge (e.g. dcs_session_state): the sample labelled `state` becomes 1, and the
  // family's other samples of this actor go, so that exactly one state is reported.
  void set_state(const metric_family& family, std::string_view state);

  actor_metrics snapshot() const;

 private:
  struct type_counts {
    std::string type;
    std::uint64_t count = 0;
    std::uint64_t nanoseconds_sum = 0;  // exact; converted to seconds in snapshot()
    std::array<std::uint64_t, handling_time_bounds_seconds.size()> buckets{};
  };

  std::string actor_;
  std::vector<type_counts> types_;  // in the order first seen; few, so searched linearly
  std::uint64_t mailbox_depth_ = 0;
  std::uint64_t actions_in_flight_ = 0;
  std::vector<named_value> named_;
};

}  // namespace praetor

#include "actors/actor_meter/actor_meter.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace praetor {

namespace {

// The bucket bounds in whole nanoseconds, +Inf as the largest value, so that recording
// compares integers.
constexpr auto bounds_ns = [] {
  std::array<std::uint64_t, handling_time_bounds_seconds.size()> out{};
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    out[i] = static_cast<std::uint64_t>(handling_time_bounds_seconds[i] * 1e9 + 0.5);
  out.back() = std::numeric_limits<std::uint64_t>::max();
  return out;
}();
static_assert(bounds_ns[0] == 50'000 && bounds_ns[15] == 5'000'000'000);

std::size_t bucket_of(std::uint64_t ns) {
  std::size_t i = 0;
  while (ns > bounds_ns[i]) ++i;  // the last bound is the largest value: always stops
  return i;
}

}  // namespace

actor_meter::actor_meter(std::string actor) : actor_(std::move(actor)) {}

actor_meter::type_slot actor_meter::slot(std::string_view type) {
  for (std::size_t i = 0; i < types_.size(); ++i)
    if (types_[i].type == type) return {i};
  types_.push_back(type_counts{std::string(type)});
  return {types_.size() - 1};
}

void actor_meter::record(type_slot slot, std::chrono::nanoseconds took) {
  const std::uint64_t ns = took.count() > 0 ? static_cast<std::uint64_t>(took.count()) : 0;
  type_counts& t = types_[slot.index];
  ++t.count;
  t.nanoseconds_sum += ns;
  ++t.buckets[bucket_of(ns)];
}

void actor_meter::count(const metric_family& family, std::string_view label_value,
                        std::uint64_t n) {
  for (named_value& v : named_)
    if (v.family == family.name && v.label_value == label_value) {
      v.value += n;
      return;
    }
  named_.push_back(named_value{std::string(family.name), std::string(label_value), n});
}

void actor_meter::set_state(const metric_family& family, std::string_view state) {
  std::erase_if(named_, [&](const named_value& v) { return v.family == family.name; });
  named_.push_back(named_value{std::string(family.name), std::string(state), 1});
}

actor_metrics actor_meter::snapshot() const {
  actor_metrics out;
  out.actor = actor_;
  out.mailbox_depth = mailbox_depth_;
  out.actions_in_flight = actions_in_flight_;
  out.messages.reserve(types_.size());
  for (const type_counts& t : types_)
    out.messages.push_back(message_stats{t.type,
                                         t.count,
                                         static_cast<double>(t.nanoseconds_sum) / 1e9,
                                         {t.buckets.begin(), t.buckets.end()}});
  std::sort(out.messages.begin(), out.messages.end(),
            [](const message_stats& a, const message_stats& b) { return a.type < b.type; });
  out.named = named_;
  std::sort(out.named.begin(), out.named.end(), [](const named_value& a, const named_value& b) {
    return std::tie(a.family, a.label_value) < std::tie(b.family, b.label_value);
  });
  return out;
}

}  // namespace praetor

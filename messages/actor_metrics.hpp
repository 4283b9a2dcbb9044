// What an actor reports about itself, for GET /metrics (Prometheus text) and GET /actors (JSON):
// messages handled by type with a histogram of handling times, mailbox depth, actions in
// flight, and a few named counters and states of its own (decisions by kind, DCS reconnects,
// the DCS session state). Each actor fills one actor_metrics from its actor_meter
// (actors/actor_meter) and sends it; actors/rest_frontend/actor_metrics_text renders them.
//
// Also the one list of metric families praetor exports besides Patroni's: name, type, label
// and help text, shared by the meter, the renderer and the README.
#pragma once

#include <array>
#include <boost/describe.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace praetor {

// Upper bounds (inclusive, in seconds) of the handling-time histogram's buckets, the last one
// +Inf: from 50 us (a REST health check) to 5 s (nothing should take that long on an actor's
// thread; blocking work belongs on a worker).
inline constexpr std::array<double, 17> handling_time_bounds_seconds{
    0.00005,
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    std::numeric_limits<double>::infinity()};

// One message type an actor handles.
struct message_stats {
  std::string type;  // the message type's name, e.g. "pg_status"
  std::uint64_t count = 0;
  double seconds_sum = 0;  // handling time of all `count` messages
  // Not cumulative: buckets[i] counts the messages that took more than
  // handling_time_bounds_seconds[i - 1] and at most handling_time_bounds_seconds[i]
  // (buckets[0]: at most the first bound). Same size as the bounds; the sum is `count`.
  std::vector<std::uint64_t> buckets;
  bool operator==(const message_stats&) const = default;
};

// One sample of a named family (see metric_family below) that belongs to an actor.
struct named_value {
  std::string family;       // a metric_family name, e.g. "praetor_decisions_total"
  std::string label_value;  // the value of the family's own label ("promote"); "" if it has none
  std::uint64_t value = 0;
  bool operator==(const named_value&) const = default;
};

// The one struct an actor fills and sends.
struct actor_metrics {
  std::string actor;  // e.g. "ha_decider"
  // Every type the actor measures, sorted by type; a type appears (count 0) once its handler
  // is measured, before any message arrives.
  std::vector<message_stats> messages;
  std::uint64_t mailbox_depth = 0;  // messages waiting when the snapshot was taken
  std::uint64_t actions_in_flight = 0;
  // Counters and states of the actor's own families, sorted by family, then label value.
  std::vector<named_value> named;
  bool operator==(const actor_metrics&) const = default;
};

// The REST front end asks every actor for its actor_metrics with this (GET /metrics, /actors).
struct metrics_report {
  bool operator==(const metrics_report&) const = default;
};

BOOST_DESCRIBE_STRUCT(message_stats, (), (type, count, seconds_sum, buckets))
BOOST_DESCRIBE_STRUCT(named_value, (), (family, label_value, value))
BOOST_DESCRIBE_STRUCT(actor_metrics, (), (actor, messages, mailbox_depth, actions_in_flight, named))

// A metric family: every sample of it carries the label `actor` and, when `label` is not
// empty, that label too.
struct metric_family {
  std::string_view name;
  std::string_view type;   // "counter", "gauge" or "histogram"
  std::string_view label;  // the family's own label besides `actor`; "" for none
  std::string_view help;
};

namespace metric_families {

// Filled from every actor_metrics' fixed fields.
inline constexpr metric_family messages_total{"praetor_actor_messages_total", "counter", "type",
                                              "Messages the actor has handled, by type."};
inline constexpr metric_family handling_seconds{
    "praetor_actor_message_handling_seconds", "histogram", "type",
    "Time the actor's handler took per message, by type, in seconds."};
inline constexpr metric_family mailbox_depth{
    "praetor_actor_mailbox_depth", "gauge", "",
    "Messages waiting in the actor's mailbox when it last reported."};
inline constexpr metric_family actions_in_flight{
    "praetor_actor_actions_in_flight", "gauge", "",
    "Long actions the actor has started and not yet seen finish."};

// Named families: an actor counts in them through actor_meter::count / set_state.
inline constexpr metric_family actor_restarts_total{
    "praetor_actor_restarts_total", "counter", "",
    "Times the actor started again what it owns after losing it: the postmaster after it died "
    "(postgres_supervisor), a ZooKeeper session after the previous one expired (dcs_session)."};
inline constexpr metric_family decisions_total{
    "praetor_decisions_total", "counter", "kind",
    "Decisions of the HA decider, by the kind of command they sent (no_action: none)."};
inline constexpr metric_family dcs_reconnects_total{
    "praetor_dcs_reconnects_total", "counter", "",
    "Times the DCS session was connected again after losing its connection or its session."};
inline constexpr metric_family dcs_session_state{
    "praetor_dcs_session_state", "gauge", "state",
    "Value is 1 for the DCS session's current state (connecting, connected, disconnected, "
    "expired)."};
// The named families, in the order /metrics lists them.
inline constexpr std::array<const metric_family*, 4> named{
    &actor_restarts_total, &decisions_total, &dcs_reconnects_total, &dcs_session_state};

// The named family called `name`, or nullptr.
const metric_family* find_named(std::string_view name);

}  // namespace metric_families

}  // namespace praetor

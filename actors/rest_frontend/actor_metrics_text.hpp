// praetor's own metrics, one actor_metrics per actor (messages/actor_metrics.hpp), in the two
// forms the REST API serves them: Prometheus text for GET /metrics (after Patroni's metrics,
// metrics_text.hpp) and JSON for GET /actors. Pure; any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "messages/actor_metrics.hpp"

namespace praetor::rest {

// Prometheus text exposition format 0.0.4: per family one HELP and one TYPE line, then its
// samples for every actor, in the actors' order; families without a sample are left out.
// Families in this order: praetor_actor_messages_total, praetor_actor_message_handling_seconds
// (histogram: cumulative _bucket{le} lines, _sum, _count), praetor_actor_mailbox_depth,
// praetor_actor_actions_in_flight, then the named families in metric_families::named order
// (a family no table knows, from a newer sender, comes last as `untyped`). Every sample is
// labelled actor="<actor>" first. Lines end in "\n", the last one too.
std::string actor_metrics_text(const std::vector<actor_metrics>& actors);

// GET /actors, for people:
//   {"<actor>": {"mailbox_depth": 0, "actions_in_flight": 1,
//                "messages": {"<type>": {"count": 12, "seconds_sum": 0.0021,
//                                        "mean_seconds": 0.000175, "p99_seconds": 0.00049,
//                                        "buckets": {"0.0001": 2, "0.00025": 9, "0.0005": 1}}},
//                "counters": {"praetor_decisions_total": {"promote": 1},
//                             "praetor_dcs_reconnects_total": 2}}}
// buckets: not cumulative (the messages that took at most that many seconds and more than the
// bound before), only the bounds that counted any, "+Inf" for the last. mean_seconds and
// p99_seconds are null while count is 0. A family without a label maps to its value, one with
// a label to an object by label value.
boost::json::object actors_json(const std::vector<actor_metrics>& actors);

// The q-quantile (0 < q <= 1) of the handling time, estimated from the buckets as Prometheus'
// histogram_quantile() does: linear within the bucket holding the rank, and the largest finite
// bound when that bucket is +Inf. 0 when nothing was counted.
double handling_time_quantile(const message_stats& m, double q);

// A label value in the exposition format: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

// A bucket bound as the `le` label shows it: "5e-05", "0.001", "1", "+Inf".
std::string bucket_bound_text(double bound);

}  // namespace praetor::rest

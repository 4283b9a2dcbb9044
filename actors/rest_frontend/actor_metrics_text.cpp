#include "actors/rest_frontend/actor_metrics_text.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <set>

namespace praetor::rest {
namespace json = boost::json;

namespace {

// `\` and newline escaped, as HELP text needs.
std::string escape_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void family_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help), name, type);
}

// `{actor="...",<label>="..."}`, the second label only when `label` is not empty.
std::string labels(const actor_metrics& a, std::string_view label = {},
                   std::string_view value = {}) {
  std::string out = fmt::format("{{actor=\"{}\"", escape_label_value(a.actor));
  if (!label.empty()) out += fmt::format(",{}=\"{}\"", label, escape_label_value(value));
  out += '}';
  return out;
}

// Go's and Python's clients print sample values in their shortest exact form; so does fmt.
std::string number(double x) {
  return fmt::format("{}", x);
}

void messages_total(std::string& out, const std::vector<actor_metrics>& actors) {
  const metric_family& f = metric_families::messages_total;
  family_header(out, f.name, f.type, f.help);
  for (const actor_metrics& a : actors)
    for (const message_stats& m : a.messages)
      out += fmt::format("{}{} {}\n", f.name, labels(a, f.label, m.type), m.count);
}

void handling_seconds(std::string& out, const std::vector<actor_metrics>& actors) {
  const metric_family& f = metric_families::handling_seconds;
  family_header(out, f.name, f.type, f.help);
  for (const actor_metrics& a : actors)
    for (const message_stats& m : a.messages) {
      std::string with_type = labels(a, f.label, m.type);
      with_type.pop_back();  // the closing brace: `le` follows
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < handling_time_bounds_seconds.size(); ++i) {
        cumulative += i < m.buckets.size() ? m.buckets[i] : 0;
        out += fmt::format("{}_bucket{},le=\"{}\"}} {}\n", f.name, with_type,
                           bucket_bound_text(handling_time_bounds_seconds[i]), cumulative);
      }
      out +=
          fmt::format("{}_sum{} {}\n", f.name, labels(a, f.label, m.type), number(m.seconds_sum));
      out += fmt::format("{}_count{} {}\n", f.name, labels(a, f.label, m.type), m.count);
    }
}

void per_actor_gauge(std::string& out, const std::vector<actor_metrics>& actors,
                     const metric_family& f, std::uint64_t actor_metrics::*field) {
  if (actors.empty()) return;
  family_header(out, f.name, f.type, f.help);
  for (const actor_metrics& a : actors)
    out += fmt::format("{}{} {}\n", f.name, labels(a), a.*field);
}

// The samples of the named family `f`, every actor's, under one header. A family no table
// knows (type "untyped") puts a sample's label value, when there is one, in the label `label`.
void named_family(std::string& out, const std::vector<actor_metrics>& actors,
                  const metric_family& f) {
  bool header = false;
  for (const actor_metrics& a : actors)
    for (const named_value& v : a.named) {
      if (v.family != f.name) continue;
      if (!header) family_header(out, f.name, f.type, f.help);
      header = true;
      const bool unknown_with_label = f.type == "untyped" && !v.label_value.empty();
      out += fmt::format("{}{} {}\n", f.name,
                         labels(a, unknown_with_label ? "label" : f.label, v.label_value), v.value);
    }
}

bool any_messages(const std::vector<actor_metrics>& actors) {
  for (const actor_metrics& a : actors)
    if (!a.messages.empty()) return true;
  return false;
}

json::value mean_seconds(const message_stats& m) {
  if (m.count == 0) return nullptr;
  return m.seconds_sum / static_cast<double>(m.count);
}

json::object message_json(const message_stats& m) {
  json::object buckets;
  for (std::size_t i = 0; i < m.buckets.size() && i < handling_time_bounds_seconds.size(); ++i)
    if (m.buckets[i] != 0)
      buckets[bucket_bound_text(handling_time_bounds_seconds[i])] = m.buckets[i];
  json::object o;
  o["count"] = m.count;
  o["seconds_sum"] = m.seconds_sum;
  o["mean_seconds"] = mean_seconds(m);
  o["p99_seconds"] =
      m.count == 0 ? json::value(nullptr) : json::value(handling_time_quantile(m, 0.99));
  o["buckets"] = std::move(buckets);
  return o;
}

json::object counters_json(const actor_metrics& a) {
  json::object counters;
  for (const named_value& v : a.named) {
    const metric_family* f = metric_families::find_named(v.family);
    if (f ? f->label.empty() : v.label_value.empty()) {
      counters[v.family] = v.value;
      continue;
    }
    json::value& by_label = counters[v.family];
    if (!by_label.is_object()) by_label = json::object{};
    by_label.as_object()[v.label_value] = v.value;
  }
  return counters;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string bucket_bound_text(double bound) {
  return std::isinf(bound) ? std::string("+Inf") : number(bound);
}

double handling_time_quantile(const message_stats& m, double q) {
  if (m.count == 0) return 0;
  const double rank = q * static_cast<double>(m.count);
  const std::size_t n = std::min(m.buckets.size(), handling_time_bounds_seconds.size());
  std::uint64_t below = 0;  // messages in the buckets before i
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t here = m.buckets[i];
    if (static_cast<double>(below + here) >= rank && here != 0) {
      const double upper = handling_time_bounds_seconds[i];
      if (std::isinf(upper)) return handling_time_bounds_seconds[i - 1];
      const double lower = i == 0 ? 0 : handling_time_bounds_seconds[i - 1];
      return lower +
             (upper - lower) * (rank - static_cast<double>(below)) / static_cast<double>(here);
    }
    below += here;
  }
  // The buckets counted fewer than `count` (a malformed snapshot): the largest finite bound.
  return handling_time_bounds_seconds[handling_time_bounds_seconds.size() - 2];
}

std::string actor_metrics_text(const std::vector<actor_metrics>& actors) {
  std::string out;
  if (any_messages(actors)) {
    messages_total(out, actors);
    handling_seconds(out, actors);
  }
  per_actor_gauge(out, actors, metric_families::mailbox_depth, &actor_metrics::mailbox_depth);
  per_actor_gauge(out, actors, metric_families::actions_in_flight,
                  &actor_metrics::actions_in_flight);
  for (const metric_family* f : metric_families::named) named_family(out, actors, *f);

  std::set<std::string_view> unknown;
  for (const actor_metrics& a : actors)
    for (const named_value& v : a.named)
      if (!metric_families::find_named(v.family)) unknown.insert(v.family);
  for (std::string_view name : unknown)
    named_family(out, actors, {name, "untyped", "", "Reported by an actor; not known here."});
  return out;
}

json::object actors_json(const std::vector<actor_metrics>& actors) {
  json::object out;
  for (const actor_metrics& a : actors) {
    json::object messages;
    for (const message_stats& m : a.messages) messages[m.type] = message_json(m);
    json::object o;
    o["mailbox_depth"] = a.mailbox_depth;
    o["actions_in_flight"] = a.actions_in_flight;
    o["messages"] = std::move(messages);
    o["counters"] = counters_json(a);
    out[a.actor] = std::move(o);
  }
  return out;
}

}  // namespace praetor::rest

#include "actors/ha/trace.hpp"

#include <boost/json.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"

namespace praetor::ha {
namespace json = boost::json;

trace_writer::trace_writer(const std::string& path) : out_(path, std::ios::trunc) {}

void trace_writer::start(const ha_inputs& initial) {
  out_ << json::serialize(json::object{{"start", json::value_from(initial)}}) << '\n';
  out_.flush();
}

void trace_writer::record(std::int64_t t_ms, const ha_event& e, const decision& d) {
  json::object line{{"t", t_ms}, {"event", event_to_json(e)}, {"decision", decision_to_json(d)}};
  out_ << json::serialize(line) << '\n';
  out_.flush();
}

replay_result replay_trace(const std::string& path) {
  replay_result r;
  std::ifstream in(path);
  if (!in) {
    r.ok = false;
    r.error = "cannot read trace file " + path;
    return r;
  }
  std::string text;
  std::optional<ha_inputs> inputs;
  while (std::getline(in, text)) {
    ++r.line;
    if (text.empty()) continue;
    try {
      auto v = json::parse(text);
      const auto& o = v.as_object();
      if (auto* s = o.if_contains("start")) {
        inputs = json::value_to<ha_inputs>(*s);
        continue;
      }
      if (!inputs) throw std::invalid_argument("an event before the \"start\" line");
      auto t = json::value_to<std::int64_t>(o.at("t"));
      auto event = event_from_json(o.at("event"));
      auto expected = decision_from_json(o.at("decision"));
      *inputs = apply_event(std::move(*inputs), event, t);
      auto actual = decide(*inputs);
      ++r.events;
      if (!(actual == expected)) {
        r.ok = false;
        r.expected = json::serialize(decision_to_json(expected));
        r.actual = json::serialize(decision_to_json(actual));
        return r;
      }
      inputs->memory = actual.next;
    } catch (const std::exception& e) {
      r.ok = false;
      r.error = path + ":" + std::to_string(r.line) + ": malformed trace line: " + e.what();
      return r;
    }
  }
  if (!inputs && r.ok) {
    r.ok = false;
    r.error = path + " holds no \"start\" line: not a praetor trace";
  }
  return r;
}

}  // namespace praetor::ha

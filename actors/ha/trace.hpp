// Decision traces as JSON Lines. The first line holds the decider's initial inputs
// ({"start": ha_inputs}); every further line one event with its receive time and the decision
// it led to ({"t": ms, "event": {...}, "decision": {...}}). replay_trace() feeds the events to
// apply_event() and decide() again and stops at the first decision that differs.
//
// A trace_writer belongs to one decider actor and is used from its thread only.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

#include "messages/ha.hpp"

namespace praetor::ha {

class trace_writer {
 public:
  // Opens (truncates) `path`; ok() is false when it cannot be written.
  explicit trace_writer(const std::string& path);
  bool ok() const { return out_.good(); }
  void start(const ha_inputs& initial);
  void record(std::int64_t t_ms, const ha_event& e, const decision& d);

 private:
  std::ofstream out_;
};

struct replay_result {
  bool ok = true;
  std::size_t events = 0;     // events replayed
  std::size_t line = 0;       // line number of the first difference or error
  std::string error;          // a malformed line, named
  std::string expected;       // recorded decision (JSON) at the first difference
  std::string actual;         // decision decide() returns now
};

replay_result replay_trace(const std::string& path);

}  // namespace praetor::ha

// The body of GET /metrics (docs/compatibility.md, "REST API"): Patroni 3.0.2's Prometheus text,
// its 20 metrics in its order, each as a HELP line, a TYPE line and one sample labelled with
// the scope. Like Patroni's do_GET_metrics, the values are read from the GET /patroni status
// object (status_json) built for the same snapshot and time, so the two answers cannot
// disagree. Pure: the time is an argument. Any thread.
#pragma once

#include <cstdint>
#include <string>

#include "messages/rest.hpp"

namespace praetor::rest {

// Lines end in "\n", the last one too.
std::string metrics_text(const node_snapshot& s, std::int64_t now_ms);

// Python's str() of the float `epoch_ms / 1000` for epoch times (Patroni's total_seconds()):
// "1714558000.25", and "1714558001.0" for a whole second. Written from the integer, and equal
// to Python's text for every time before the year 30000: at most 15 significant digits, which
// a double keeps exactly and Python prints without an exponent.
// REQUIRES: epoch_ms >= 0.
std::string python_epoch_seconds(std::int64_t epoch_ms);

}  // namespace praetor::rest

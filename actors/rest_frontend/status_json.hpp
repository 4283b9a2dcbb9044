// The body of GET /patroni and of every health-check GET (docs/compatibility.md, "REST API"):
// Patroni 3.0.2's status object, fields in its order, built from a node_snapshot. Peers read
// it during elections (xlog.location present = primary), so the shape matters more than the
// text. Pure: the time is an argument. Any thread.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "messages/rest.hpp"

namespace praetor::rest {

boost::json::object status_json(const node_snapshot& s, std::int64_t now_ms);

// Python's str() of an aware UTC datetime: "2024-05-01 10:20:30.123000+00:00", and without
// the fraction when it is zero ("2024-05-01 10:20:30+00:00"), as psycopg's value prints.
std::string python_utc_datetime(std::int64_t epoch_ms);

}  // namespace praetor::rest

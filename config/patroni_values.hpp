// How Patroni reads loosely typed values: booleans as true/on/yes/1 or false/off/no/0
// (any case), integers from numbers or numeric strings. Pure functions, any thread.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace praetor::config {

// nullopt when the value is not one of Patroni's boolean spellings.
std::optional<bool> parse_bool(const boost::json::value& v);

// synchronous_mode: a boolean, or "quorum" (Patroni 4's quorum commit: ANY n of the standbys).
enum class synchronous_mode { off, on, quorum };
// nullopt when the value is neither a boolean spelling nor "quorum".
std::optional<synchronous_mode> parse_synchronous_mode(const boost::json::value& v);

// Python's int(v): integers, floats (truncated) and strings holding an integer; nullopt
// otherwise (booleans included, since they are never meant as numbers in a config file).
std::optional<std::int64_t> parse_int(const boost::json::value& v);

// A scalar as PostgreSQL or a command line would see it: strings as is, numbers in decimal,
// booleans as on/off. Objects and arrays give their JSON text.
std::string scalar_text(const boost::json::value& v);

// Python's str(v) of a scalar, as Patroni passes a replica method's options on its command
// line: True/False, None, numbers in decimal, strings as is.
std::string python_str(const boost::json::value& v);

// `s` in ASCII lower case, as Python's str.lower() leaves the keys and words Patroni compares.
std::string lower(std::string s);

// "a string", "an integer", ... for error messages.
std::string describe_type(const boost::json::value& v);

}  // namespace praetor::config

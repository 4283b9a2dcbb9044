// Timestamps as Patroni's clients write them: ISO-8601 ("2026-11-27T13:00:00+00:00",
// "2026-11-27 13:00:00.123456Z", ...), the form of the failover key's scheduled_at and of the
// REST API's schedule fields. Parsed to milliseconds since the epoch (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace praetor {

struct iso_time {
  std::int64_t epoch_ms = 0;
  bool has_timezone = false;  // an offset or Z was given; without one, read as UTC
};

// The text's own fields, before any conversion to UTC.
struct iso_fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int microsecond = 0;                // the fraction, truncated to 6 digits
  std::optional<int> offset_minutes;  // Z is 0; nullopt when no offset was written
};

// Accepts YYYY-MM-DD[(T| )HH:MM[:SS[(.|,)fraction]]][Z|(+|-)HH[:MM]|(+|-)HHMM], with blanks
// around. nullopt when malformed or out of range.
std::optional<iso_fields> read_iso_fields(std::string_view text);

// read_iso_fields, as milliseconds since the epoch (no offset: UTC).
std::optional<iso_time> parse_iso_time(std::string_view text);

// "2026-11-27T13:00:00+00:00" (Python's isoformat() of an aware UTC datetime; milliseconds
// are written as ".mmm000" only when non-zero).
std::string format_iso_time(std::int64_t epoch_ms);

}  // namespace praetor

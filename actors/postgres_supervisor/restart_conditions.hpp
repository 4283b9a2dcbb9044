// Whether an operator's restart may go ahead on the instance as it is now: Patroni 3.0.2's
// restart_matches, and the postmaster start time as Patroni publishes it in a scheduled
// restart. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "messages/pg.hpp"

namespace praetor {

// Patroni's reason_to_cancel: "host role mismatch", "postgres version mismatch", "pending
// restart flag is not set"; "" when the restart matches.
std::string restart_mismatch(const restart_conditions& wanted, const pg_status& now);

// pg_postmaster_start_time() as Patroni formats it ("2026-11-27 22:40:01.123 UTC"); "" for 0.
std::string postmaster_start_text(std::int64_t start_ms);

}  // namespace praetor

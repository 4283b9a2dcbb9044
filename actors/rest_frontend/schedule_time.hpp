// A scheduled action's time in a request body (switchover's scheduled_at, restart's
// schedule), judged as Patroni 3.0.2's parse_schedule: ISO 8601 with a zone, not in the past.
// Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/rest_frontend/http_types.hpp"

namespace praetor::rest {

struct schedule_check {
  std::optional<http_response> refusal;  // 422 or 400 with Patroni's sentence
  std::int64_t epoch_ms = 0;
};

// `action`: "switchover", "failover" or "restart", as the sentences name it.
schedule_check parse_schedule(const std::string& text, std::string_view action,
                              std::int64_t now_ms);

}  // namespace praetor::rest

#include "actors/rest_frontend/schedule_time.hpp"

#include <fmt/format.h>

#include "actors/rest_frontend/router.hpp"
#include "messages/iso_time.hpp"

namespace praetor::rest {

schedule_check parse_schedule(const std::string& text, std::string_view action,
                              std::int64_t now_ms) {
  auto t = parse_iso_time(text);
  if (!t)
    return {text_response(422,
                          "Unable to parse scheduled timestamp. It should be in an unambiguous "
                          "format, e.g. ISO 8601"),
            0};
  if (!t->has_timezone)
    return {text_response(
                400, fmt::format("Timezone information is mandatory for the scheduled {}", action)),
            0};
  if (t->epoch_ms < now_ms)
    return {text_response(422, fmt::format("Cannot schedule {} in the past", action)), 0};
  return {std::nullopt, t->epoch_ms};
}

}  // namespace praetor::rest

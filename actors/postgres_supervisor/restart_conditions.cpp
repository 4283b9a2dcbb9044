#include "actors/postgres_supervisor/restart_conditions.hpp"

#include "messages/iso_time.hpp"

namespace praetor {

std::string restart_mismatch(const restart_conditions& wanted, const pg_status& now) {
  // Patroni checks all three and reports the last that fails.
  std::string reason;
  if (!wanted.role.empty() && (wanted.role == "primary") != (now.role == pg_role::primary))
    reason = "host role mismatch";
  if (wanted.below_version > 0 && wanted.below_version <= now.server_version)
    reason = "postgres version mismatch";
  if (wanted.only_pending && !now.pending_restart) reason = "pending restart flag is not set";
  return reason;
}

std::string postmaster_start_text(std::int64_t start_ms) {
  if (start_ms == 0) return "";
  // format_iso_time: "YYYY-MM-DDTHH:MM:SS[.mmm000]+00:00"; PostgreSQL's to_char form differs
  // in the separator, the fraction and the zone.
  auto iso = format_iso_time(start_ms);
  std::string out = iso.substr(0, 19);
  out[10] = ' ';
  out += iso[19] == '.' ? iso.substr(19, 4) : std::string(".000");
  return out + " UTC";
}

}  // namespace praetor

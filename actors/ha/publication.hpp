// What this member tells the DCS about itself, and when: the member record built from the
// settings and the PostgreSQL status, the history key, and the rate limits that
// keep an idle cluster quiet. Pure helpers of decide().
#pragma once

#include <optional>

#include "messages/ha.hpp"

namespace praetor::ha {

// Our member record as Patroni 3.0.2 would write it for this PostgreSQL status.
member_record build_member_record(const ha_settings& s, const pg_status& pg);

// A publish_member command when the record changed in a way peers must see now, or when a
// changed WAL position is due (once per loop_wait), or when a view loaded after our last
// write lacks the record.
std::optional<publish_member> member_publication(const ha_inputs& in, const member_record& rec);

// The lock holder's history key (Patroni's update_cluster_history): nullopt when the DCS
// already has it for our timeline, or when the timeline's history file is not read yet.
// Lines from our history file; those the DCS knows keep their timestamp and leader; the line
// of our own promotion gets the file's time and our name; trimmed to max_timelines_history.
std::optional<write_history> history_publication(const ha_inputs& in);

// True when `t` is at least one loop_wait after `last`.
bool loop_due(const ha_settings& s, std::int64_t last_ms, std::int64_t now_ms);

}  // namespace praetor::ha

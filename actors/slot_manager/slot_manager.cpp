#include "actors/slot_manager/slot_manager.hpp"

#include <spdlog/spdlog.h>

#include "actors/actor_meter/measured.hpp"
#include "actors/actor_meter/report.hpp"
#include "actors/beat_grid.hpp"
#include "actors/slot_manager/slot_plan.hpp"

namespace praetor {
namespace {

using self_ptr = slot_manager_actor::stateful_pointer<slot_manager_state>;

// One statement in a database of the local instance (a logical slot belongs to one); a failure
// to connect comes back as the statement's error.
pg::query_result exec_in(const postgres_settings& settings, const std::string& database,
                         const std::string& sql, const std::vector<std::string>& params) {
  auto conn_params = pg::local_superuser_params(settings);
  conn_params.dbname = database;
  conn_params.options["options"] = "-c statement_timeout=0";  // advancing may read much WAL
  pg::connection db;
  std::string error;
  if (!db.connect(conn_params, error))
    return {false, "cannot connect to database " + database + ": " + error, {}, {}};
  return db.exec(sql, params);
}

void create_logical(self_ptr self, const std::vector<logical_slot>& slots, slot_report& report) {
  const auto& s = self->state;
  for (const auto& slot : slots) {
    auto c = exec_in(
        s.settings, slot.database,
        "SELECT pg_catalog.pg_create_logical_replication_slot($1, $2) WHERE NOT EXISTS (SELECT 1 "
        "FROM pg_catalog.pg_replication_slots WHERE slot_type = 'logical' AND slot_name = $1)",
        {slot.name, slot.plugin});
    if (c.ok) {
      report.created.push_back(slot.name);
      spdlog::info("slot_manager: created logical replication slot {} (database {}, plugin {})",
                   slot.name, slot.database, slot.plugin);
    } else {
      report.errors.push_back("cannot create logical replication slot " + slot.name +
                              " (database " + slot.database + ", plugin " + slot.plugin +
                              "): " + c.error);
    }
  }
}

// Moves a replica's copies up to the primary's positions. A slot whose WAL is gone here cannot
// be advanced any more: it is copied from the primary again.
void advance_logical(self_ptr self, const std::vector<logical_slot>& slots, slot_report& report) {
  const auto& s = self->state;
  for (const auto& slot : slots) {
    auto a = exec_in(s.settings, slot.database,
                     "SELECT pg_catalog.pg_replication_slot_advance($1, $2::pg_catalog.pg_lsn)",
                     {slot.name, slot.advance_to.to_string()});
    if (a.ok) {
      report.confirmed[slot.name] = slot.advance_to;
      continue;
    }
    report.errors.push_back("cannot advance logical replication slot " + slot.name + " to " +
                            slot.advance_to.to_string() + ": " + a.error);
    if (a.sqlstate == "58P01") {  // undefined_file: the WAL it needs was removed here
      report.missing.push_back(slot.name);
      report.confirmed.erase(slot.name);
    }
  }
}

void reconcile(self_ptr self) {
  auto& s = self->state;
  if (!s.desired) return;
  slot_report report;
  std::string error;
  if (!s.conn.connected() && !s.conn.connect(pg::local_superuser_params(s.settings), error)) {
    s.pending = true;
    // Unreachable PostgreSQL is normal while it starts: say it once, then retry quietly.
    if (error != s.last_error_sent) {
      spdlog::debug("slot_manager: {}; will retry", error);
      s.last_error_sent = error;
    }
    return;
  }
  auto r = s.conn.exec(
      "SELECT slot_name, slot_type = 'physical', active, coalesce(database::text, ''), "
      "coalesce(plugin::text, ''), coalesce(confirmed_flush_lsn::text, '0/0') "
      "FROM pg_catalog.pg_replication_slots WHERE NOT temporary");
  if (!r.ok) {
    s.pending = true;
    s.conn.close();
    report.errors.push_back("cannot list replication slots: " + r.error);
    s.last_report = report;  // positions unknown now: the next success tells them again
    self->send(s.decider, report);
    return;
  }
  std::vector<existing_slot> existing;
  for (const auto& row : r.rows)
    existing.push_back({row[0].value_or(""), row[1].value_or("") == "t", row[2].value_or("") == "t",
                        row[3].value_or(""), row[4].value_or(""),
                        lsn::parse(row[5].value_or("")).value_or(lsn{})});
  auto plan = plan_slots(*s.desired, existing, s.settings.ignore_slots, s.settings.paused);
  report.confirmed = plan.confirmed;
  report.missing = plan.missing;
  for (const auto& name : plan.drop) {
    // Re-check inactivity in the statement itself: a walsender may have attached meanwhile.
    auto d = s.conn.exec(
        "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM "
        "pg_catalog.pg_replication_slots WHERE slot_name = $1 AND NOT active",
        {name});
    if (d.ok) {
      report.dropped.push_back(name);
      spdlog::info("slot_manager: dropped replication slot {}: not desired as it is", name);
    } else {
      report.errors.push_back("cannot drop replication slot " + name + ": " + d.error);
    }
  }
  for (const auto& name : plan.create) {
    auto c = s.conn.exec("SELECT pg_catalog.pg_create_physical_replication_slot($1, true)", {name});
    if (c.ok) {
      report.created.push_back(name);
      spdlog::info("slot_manager: created physical replication slot {}", name);
    } else {
      report.errors.push_back("cannot create physical replication slot " + name + ": " + c.error);
    }
  }
  create_logical(self, plan.create_logical, report);
  advance_logical(self, plan.advance, report);
  std::sort(report.missing.begin(), report.missing.end());
  for (const auto& e : report.errors) spdlog::warn("slot_manager: {}", e);
  s.pending = !report.errors.empty();
  if (!s.conn.connected()) s.conn.close();
  // Positions and missing slots change the decider's publication and copying: tell it when
  // they moved, not at every beat.
  const bool news =
      report.confirmed != s.last_report.confirmed || report.missing != s.last_report.missing;
  if (!report.created.empty() || !report.dropped.empty() || !report.errors.empty() || news) {
    s.last_report = report;
    self->send(s.decider, report);
  }
}

// On the grid the supervisor's heartbeat uses too (beat_grid.hpp).
void arm_heartbeat(self_ptr self) {
  auto period = std::chrono::seconds(std::max(1, self->state.settings.loop_wait));
  self->scheduled_send(self, next_beat(self->clock().now(), period), slot_heartbeat{});
}

}  // namespace

slot_manager_actor::behavior_type slot_manager(
    slot_manager_actor::stateful_pointer<slot_manager_state> self, ha_decider_actor decider,
    postgres_settings settings) {
  self->state.decider = std::move(decider);
  self->state.settings = std::move(settings);
  self->set_default_handler(caf::drop);
  arm_heartbeat(self);
  return {
      measured(self->state.meter,
               [=](reconcile_slots desired) {
                 self->state.desired = std::move(desired);
                 reconcile(self);
               }),
      measured(self->state.meter,
               [=](slot_heartbeat) {
                 // Armed first: CAF's clock thread, just awake to fire this one, may take the next
                 // one before it sleeps again.
                 arm_heartbeat(self);
                 // Also catches slots dropped or created behind our back, not only failed attempts.
                 reconcile(self);
               }),
      // The dynamic configuration changed (loop_wait, use_slots): the next beat uses it.
      measured(self->state.meter,
               [=](postgres_settings next) { self->state.settings = std::move(next); }),
      [=](metrics_report) -> actor_metrics { return metrics_of(self->state.meter, self); },
  };
}

}  // namespace praetor

// copy_logical_slots on the supervisor's worker thread (pg_actions.hpp's contract: blocking, one
// at a time, outcome as a value): the state files come from the primary while PostgreSQL still
// serves, and only when there is something to install is it stopped (fast) and started again.
#include <spdlog/spdlog.h>

#include "actors/postgres_supervisor/pg_actions.hpp"
#include "backends/postgres/slot_files.hpp"

namespace praetor {

action_outcome run_copy_logical_slots(const action_context& ctx, const copy_logical_slots& cmd) {
  action_outcome out;
  std::vector<std::string> names;
  for (const auto& slot : cmd.slots) names.push_back(slot.name);
  std::string error;
  auto states = pg::read_slot_states(ctx.settings, cmd.upstream, names, error);
  if (!states) {
    // PostgreSQL was not touched: it goes on as it was, and the decider asks again later.
    out.ok = true;
    out.note = "copying logical slots failed: " + error;
    return out;
  }
  std::vector<pg::slot_state_file> install;
  for (const auto& state : *states)
    for (const auto& slot : cmd.slots)
      if (state.name == slot.name) {
        if (state.type == "logical" && state.database == slot.database &&
            state.plugin == slot.plugin)
          install.push_back(state);
        else
          spdlog::warn(
              "not copying logical slot {}: the configuration says database {} plugin {}, "
              "the primary has a {} slot (database '{}', plugin '{}')",
              slot.name, slot.database, slot.plugin, state.type, state.database, state.plugin);
      }
  if (install.empty()) {
    out.ok = true;
    out.note = "no logical slot to copy: the primary has none of them as configured";
    return out;
  }
  auto stopped = run_stop(ctx, stop_mode::fast);
  if (!stopped.ok) return stopped;
  std::string installed;
  for (const auto& slot : install) {
    if (!pg::install_slot_state(ctx.settings.data_dir, slot, ctx.user, error)) {
      spdlog::error("copying logical slot {} failed: {}", slot.name, error);
      break;  // start again all the same: a replica that does not run helps nobody
    }
    installed += (installed.empty() ? "" : ", ") + slot.name;
  }
  auto started = run_start(ctx, false, cmd.upstream);
  if (!started.ok) return started;
  spdlog::info("copied logical slots [{}] from {}", installed, cmd.upstream.name);
  if (!error.empty()) started.note = "copying logical slots failed: " + error;
  return started;
}

}  // namespace praetor

#include "actors/ha/slot_set.hpp"

#include <algorithm>

#include "actors/ha/decide_parts.hpp"
#include "actors/ha/failsafe.hpp"

namespace praetor::ha {
namespace {

// The member a record's tags.replicatefrom names, "" when it names none.
std::string replicatefrom_of(const member_record& m) {
  const auto* tag = m.tags.if_contains("replicatefrom");
  return tag && tag->is_string() ? std::string(tag->get_string()) : std::string();
}

// Logical decoding from a slot copied to a replica needs pg_replication_slot_advance
// (PostgreSQL 11); 0 = the version is not known yet.
bool logical_slots_possible(int server_version) {
  return server_version == 0 || server_version >= 110000;
}

void add_logical(const ha_settings& s, int server_version, const slot_positions& positions,
                 reconcile_slots& r) {
  if (!logical_slots_possible(server_version)) return;
  for (const auto& p : s.permanent_slots) {
    if (p.type != "logical") continue;
    // A member's slot of that name wins (Patroni says so and leaves the permanent one out).
    if (std::binary_search(r.physical.begin(), r.physical.end(), p.name)) continue;
    auto at = positions.find(p.name);
    r.logical.push_back({p.name, p.database, p.plugin, at == positions.end() ? lsn{} : at->second});
  }
}

// The slots the lock holder keeps for its members: one per other member, not for one
// cascading from another member that is in the view.
std::vector<std::string> leader_member_slots(const ha_settings& s, const cluster_view& v) {
  std::vector<std::string> out;
  for (const auto& m : v.members) {
    auto from = replicatefrom_of(m);
    if (s.use_slots && m.name != s.name && (from.empty() || from == s.name || !v.find_member(from)))
      out.push_back(slot_name_for_member(m.name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

reconcile_slots leader_slots(const ha_settings& s, const cluster_view& v, int server_version,
                             bool standby_leader) {
  reconcile_slots r;
  r.primary = !standby_leader;
  r.physical = leader_member_slots(s, v);
  const auto own = slot_name_for_member(s.name);
  for (const auto& p : s.permanent_slots)
    if (p.type == "physical" && p.name != own) r.physical.push_back(p.name);
  std::sort(r.physical.begin(), r.physical.end());
  r.physical.erase(std::unique(r.physical.begin(), r.physical.end()), r.physical.end());
  if (s.use_slots && !standby_leader) add_logical(s, server_version, {}, r);
  return r;
}

reconcile_slots replica_slots(const ha_settings& s, const cluster_view& v,
                              const slot_positions& positions, int server_version) {
  reconcile_slots r;
  const std::string leader = v.leader ? v.leader->name : std::string();
  if (!s.use_slots) return r;
  for (const auto& m : v.members)
    if (m.name != s.name && m.name != leader && replicatefrom_of(m) == s.name)
      r.physical.push_back(slot_name_for_member(m.name));
  std::sort(r.physical.begin(), r.physical.end());
  if (!s.nofailover) add_logical(s, server_version, positions, r);
  return r;
}

reconcile_slots promoting_slots(const ha_inputs& in) {
  auto out = replica_slots(in.settings, *in.view, primary_slot_positions(in), in.pg.server_version);
  const auto leader = leader_slots(in.settings, *in.view, in.pg.server_version, true);
  out.physical.insert(out.physical.end(), leader.physical.begin(), leader.physical.end());
  std::sort(out.physical.begin(), out.physical.end());
  out.physical.erase(std::unique(out.physical.begin(), out.physical.end()), out.physical.end());
  return out;
}

void keep_slots_of_members_away(const ha_inputs& in, builder& b, reconcile_slots& slots) {
  auto& mem = b.memory();
  auto& kept = mem.member_slots_kept;
  auto current = leader_member_slots(in.settings, *in.view);
  auto member_now = [&current](const std::string& name) {
    return std::binary_search(current.begin(), current.end(), name);
  };
  std::erase_if(kept, [&](const auto& entry) { return member_now(entry.first); });
  if (in.settings.use_slots && in.settings.member_slots_ttl > 0)
    for (const auto& name : mem.member_slots)
      if (!member_now(name)) kept.try_emplace(name, in.now_ms);
  mem.member_slots = std::move(current);
  const auto ttl_ms = std::int64_t{in.settings.member_slots_ttl} * 1000;
  std::erase_if(kept, [&](const auto& entry) { return in.now_ms - entry.second >= ttl_ms; });
  for (const auto& [name, since] : kept) slots.physical.push_back(name);
  std::sort(slots.physical.begin(), slots.physical.end());
  slots.physical.erase(std::unique(slots.physical.begin(), slots.physical.end()),
                       slots.physical.end());
}

void keep_slots(builder& b, reconcile_slots slots) {
  auto& mem = b.memory();
  if (mem.slots_sent == slots) return;
  mem.slots_sent = slots;
  b.send(std::move(slots));
}

slot_positions published_slot_positions(const ha_inputs& in) {
  slot_positions out;
  if (!in.settings.use_slots) return out;
  for (const auto& p : in.settings.permanent_slots)
    if (auto at = in.memory.slots_confirmed.find(p.name);
        p.type == "logical" && at != in.memory.slots_confirmed.end())
      out.insert(*at);
  return out;
}

const slot_positions& primary_slot_positions(const ha_inputs& in) {
  if (in.settings.failsafe_mode && failsafe_leader(in)) return in.memory.failsafe_slots;
  return in.view->slots;
}

bool copy_missing_logical_slots(const ha_inputs& in, builder& b, const member_record& leader) {
  auto& mem = b.memory();
  if (mem.slots_missing.empty() || !pg_running(in.pg) || pg_busy(in) || !reachable(leader) ||
      failsafe_active(in) || !mem.slots_sent)
    return false;
  std::vector<logical_slot> wanted;
  for (const auto& slot : mem.slots_sent->logical)
    if (slot.advance_to.value > 0 &&
        std::binary_search(mem.slots_missing.begin(), mem.slots_missing.end(), slot.name))
      wanted.push_back(slot);
  if (wanted.empty()) return false;
  std::vector<std::string> names;
  for (const auto& slot : wanted) names.push_back(slot.name);
  const auto retry_ms = std::int64_t{in.settings.ttl} * 1000;
  if (names == mem.slot_copy_sent && in.now_ms - mem.slot_copy_sent_ms < retry_ms) return false;
  mem.slot_copy_sent = names;
  mem.slot_copy_sent_ms = in.now_ms;
  b.send(copy_logical_slots{b.next_pg_seq(), upstream_of(leader), std::move(wanted)});
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  b.say("Copying logical slots [" + list + "] from the primary '" + leader.name +
        "' (PostgreSQL restarts to load them)");
  return true;
}

}  // namespace praetor::ha

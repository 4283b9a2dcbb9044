#include "actors/slot_manager/slot_plan.hpp"

#include <algorithm>
#include <map>

namespace praetor {
namespace {

// What a desired slot must be; a slot of the same name that is otherwise is dropped.
struct wanted_slot {
  bool physical = true;
  const logical_slot* logical = nullptr;
  bool is(const existing_slot& e) const {
    if (physical || e.physical) return physical == e.physical;
    return e.database == logical->database && e.plugin == logical->plugin;
  }
};

}  // namespace

bool matches(const slot_matcher& m, const existing_slot& slot) {
  auto same = [](const std::string& wanted, const std::string& actual) {
    return wanted.empty() || wanted == actual;
  };
  return same(m.name, slot.name) && same(m.type, slot.physical ? "physical" : "logical") &&
         same(m.database, slot.database) && same(m.plugin, slot.plugin);
}

slot_plan plan_slots(const reconcile_slots& desired, const std::vector<existing_slot>& existing,
                     const std::vector<slot_matcher>& ignore, bool paused) {
  std::map<std::string, wanted_slot> want;
  for (const auto& name : desired.physical) want[name] = {};
  for (const auto& l : desired.logical) want.try_emplace(l.name, wanted_slot{false, &l});

  slot_plan plan;
  std::map<std::string, const existing_slot*> have;
  for (const auto& e : existing) {
    auto w = want.find(e.name);
    if (w == want.end()) {
      bool ignored = std::any_of(ignore.begin(), ignore.end(),
                                 [&e](const slot_matcher& m) { return matches(m, e); });
      if (!paused && !e.active && !ignored) plan.drop.push_back(e.name);
    } else if (!w->second.is(e)) {
      if (!e.active) plan.drop.push_back(e.name);  // comes back as desired next time
    } else {
      have[e.name] = &e;
    }
  }
  for (const auto& name : desired.physical)
    if (!have.count(name) && want[name].physical) plan.create.push_back(name);
  for (const auto& l : desired.logical) {
    if (want[l.name].logical != &l) continue;  // a physical slot of that name is desired
    auto h = have.find(l.name);
    if (h != have.end()) {
      plan.confirmed[l.name] = h->second->confirmed_flush;
      if (!desired.primary && h->second->confirmed_flush < l.advance_to) plan.advance.push_back(l);
    } else if (desired.primary) {
      plan.create_logical.push_back(l);
    } else if (l.advance_to.value > 0) {
      plan.missing.push_back(l.name);
    }
  }
  std::sort(plan.drop.begin(), plan.drop.end());
  return plan;
}

}  // namespace praetor

#include "actors/slot_manager/slot_plan.hpp"

#include <algorithm>
#include <set>

namespace praetor {

bool matches(const slot_matcher& m, const existing_slot& slot) {
  auto same = [](const std::string& wanted, const std::string& actual) {
    return wanted.empty() || wanted == actual;
  };
  return same(m.name, slot.name) && same(m.type, slot.physical ? "physical" : "logical") &&
         same(m.database, slot.database) && same(m.plugin, slot.plugin);
}

slot_plan plan_slots(const std::vector<std::string>& desired,
                     const std::vector<existing_slot>& existing,
                     const std::vector<slot_matcher>& ignore, bool paused) {
  slot_plan plan;
  std::set<std::string> want(desired.begin(), desired.end());
  std::set<std::string> have;
  for (const auto& e : existing) {
    have.insert(e.name);
    bool ignored = std::any_of(ignore.begin(), ignore.end(),
                               [&e](const slot_matcher& m) { return matches(m, e); });
    if (!paused && !e.active && !want.count(e.name) && !ignored) plan.drop.push_back(e.name);
  }
  for (const auto& d : want)
    if (!have.count(d)) plan.create.push_back(d);
  std::sort(plan.drop.begin(), plan.drop.end());
  return plan;
}

}  // namespace praetor

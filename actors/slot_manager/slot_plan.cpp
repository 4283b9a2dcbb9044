#include "actors/slot_manager/slot_plan.hpp"

#include <algorithm>
#include <set>

namespace praetor {

slot_plan plan_slots(const std::vector<std::string>& desired,
                     const std::vector<existing_slot>& existing) {
  slot_plan plan;
  std::set<std::string> want(desired.begin(), desired.end());
  std::set<std::string> have;
  for (const auto& e : existing) {
    have.insert(e.name);
    if (e.physical && !e.active && !want.count(e.name)) plan.drop.push_back(e.name);
  }
  for (const auto& d : want)
    if (!have.count(d)) plan.create.push_back(d);
  std::sort(plan.drop.begin(), plan.drop.end());
  return plan;
}

}  // namespace praetor

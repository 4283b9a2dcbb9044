#include "apps/praetorctl/member_choice.hpp"

#include <algorithm>

namespace praetor::ctl {

const std::vector<std::string> member_roles = {"leader",  "primary", "standby-leader", "replica",
                                               "standby", "any",     "master"};

bool is_member_role(std::string_view role) {
  return std::find(member_roles.begin(), member_roles.end(), role) != member_roles.end();
}

namespace {

bool is_primary_role(const std::string& role) {
  return role == "master" || role == "primary";
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

member_choice refuse(std::string why) {
  member_choice c;
  c.error = std::move(why);
  return c;
}

member_choice abort_dialogue() {
  member_choice c;
  c.aborted = true;
  return c;
}

}  // namespace

std::vector<member_record> members_with_role(const cluster_view& view, const std::string& role) {
  const std::string leader_name = view.leader ? view.leader->name : "";
  if (role == "leader" || role == "primary" || role == "master" || role == "standby-leader") {
    if (leader_name.empty()) return {};
    member_record holder;
    holder.name = leader_name;
    if (const auto* m = view.find_member(leader_name)) holder = *m;
    const bool wanted =
        role == "leader" || (role == "standby-leader" ? !is_primary_role(holder.role)
                                                      : holder.role != "standby_leader");
    if (!wanted) return {};
    return {holder};
  }
  std::vector<member_record> out;
  for (const auto& m : view.members)
    if (role == "any" || m.name != leader_name) out.push_back(m);
  return out;
}

std::string joined_names(const std::vector<member_record>& members) {
  std::string out;
  for (const auto& m : members) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

member_choice choose_members(const cluster_view& view, const std::string& cluster_name,
                             const member_selection& selection, const std::string& action,
                             bool ask_confirmation, operator_prompt& prompt,
                             const std::function<void()>& show_cluster) {
  const auto candidates = members_with_role(view, selection.role);
  std::vector<std::string> candidate_names;
  for (const auto& m : candidates) candidate_names.push_back(m.name);

  if (selection.names.empty() && candidates.empty())
    return refuse(cluster_name + " cluster doesn't have any members");
  show_cluster();

  std::vector<std::string> names;
  if (!selection.names.empty()) {
    for (const auto& name : selection.names)
      if (contains(candidate_names, name)) names.push_back(name);
    if (names.empty()) return refuse("No " + selection.role + " among provided members");
  } else if (action != "reinitialize") {
    names = candidate_names;
  }

  if (names.empty() && !selection.force) {
    auto answer = prompt.ask(
        "Which member do you want to " + action + " [" + joined_names(candidates) + "]?", "");
    if (!answer) return abort_dialogue();
    names.push_back(*answer);
  }
  for (const auto& name : names)
    if (!contains(candidate_names, name)) return refuse(name + " is not a member of cluster");

  std::vector<member_record> chosen;
  for (const auto& m : candidates)
    if (contains(names, m.name)) chosen.push_back(m);
  if (!ask_confirmation) {
    member_choice c;
    c.members = std::move(chosen);
    return c;
  }
  return confirm_members(std::move(chosen), selection.force, action, "", prompt);
}

member_choice confirm_members(std::vector<member_record> members, bool force,
                              const std::string& action, const std::string& scheduled_at,
                              operator_prompt& prompt) {
  if (!force) {
    const bool scheduled = !scheduled_at.empty();
    auto yes =
        prompt.confirm(scheduled ? "Are you sure you want to schedule " + action + " of members " +
                                       joined_names(members) + " at " + scheduled_at + "?"
                                 : "Are you sure you want to " + action + " members " +
                                       joined_names(members) + "?");
    if (!yes) return abort_dialogue();
    if (!*yes) return refuse(std::string(scheduled ? "Aborted scheduled " : "Aborted ") + action);
  }
  member_choice c;
  c.members = std::move(members);
  return c;
}

}  // namespace praetor::ctl

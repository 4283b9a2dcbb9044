// Which members restart, reload, reinit and flush restart act on: patronictl 3.0.2's
// get_all_members, get_members and confirm_members_action (ctl.py) for one cluster, with their
// texts. A role picks the candidates, the MEMBER names on the command line narrow them (names
// that are not candidates are dropped, as patronictl intersects the two), and without --force
// the operator is asked to agree.
//
// Questions go through `operator_prompt`; showing the cluster table is the caller's, through
// `show_cluster`, because patronictl shows it between its first check and its questions.
// Nothing here touches a socket or the DCS. Any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/praetorctl/failover_plan.hpp"
#include "messages/cluster_view.hpp"

namespace praetor::ctl {

// What the command line chose.
struct member_selection {
  std::vector<std::string> names;  // MEMBER... in the order given; empty = see choose_members
  std::string role = "any";        // one of member_roles
  bool force = false;              // --force: ask nothing
};

// patronictl's --role choices: leader, primary, standby-leader, replica, standby, any, master.
extern const std::vector<std::string> member_roles;
bool is_member_role(std::string_view role);

// get_all_members: leader, primary/master and standby-leader give the holder of the leader key
// (primary only when its record says it is not a standby leader; standby-leader only when it
// says it is not a primary); replica and standby every member but that holder; any all of them.
// In the view's order. A leader key naming a member without a record gives a record with only
// the name (no api_url: a request to it fails).
std::vector<member_record> members_with_role(const cluster_view& view, const std::string& role);

struct member_choice {
  std::vector<member_record> members;  // in the view's order
  std::string error;                   // patronictl's refusal, e.g. "No replica among ..."
  bool aborted = false;                // input ended at a question: click's "Aborted!"
  bool refused() const { return aborted || !error.empty(); }
};

// get_members. `action` names the deed in the questions ("restart", "reinitialize", "flush");
// for "reinitialize" no names means none (patronictl then asks which one, unless --force),
// for the others every candidate. `show_cluster` runs once the cluster has candidates or names
// were given, before any question. With `ask_confirmation` and without --force it ends with
// confirm_members (no schedule).
member_choice choose_members(const cluster_view& view, const std::string& cluster_name,
                             const member_selection& selection, const std::string& action,
                             bool ask_confirmation, operator_prompt& prompt,
                             const std::function<void()>& show_cluster);

// confirm_members_action: "Are you sure you want to <action> members a, b?" or, with a
// schedule, "... to schedule <action> of members a, b at <scheduled_at>?"; No refuses with
// "Aborted <action>" / "Aborted scheduled <action>". Asks nothing when `force`.
// `scheduled_at` is shown as given ("" = not scheduled). Returns `members` when agreed.
member_choice confirm_members(std::vector<member_record> members, bool force,
                              const std::string& action, const std::string& scheduled_at,
                              operator_prompt& prompt);

// "a, b": the names as patronictl joins them in its questions.
std::string joined_names(const std::vector<member_record>& members);

}  // namespace praetor::ctl

// How praetorctl acts on members through their REST API, as patronictl does: the members
// chosen from the cluster as get_members chooses them, one request to a member addressed by its
// record's api_url with the credentials of restapi.authentication (request_patroni), and the
// line printed for its answer (check_response). Threads: the caller's.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/http_client.hpp"
#include "apps/praetorctl/member_choice.hpp"
#include "messages/member.hpp"

namespace praetor::ctl {

// `endpoint` without its slash ("switchover", "config"). The reply, or in `error` why none came.
http_outcome call_member(const member_record& m, const std::string& method,
                         const std::string& endpoint, const std::string& body,
                         const command_env& env, std::chrono::seconds answer_timeout);

// patronictl's check_response: a status of 400 or more prints "Failed: <action> for member
// <name>, status code=<status>, (<body>)"; anything else "Success: <action> for member <name>"
// unless `silent_success`. No answer at all prints "Failed: <action> for member <name>, <why>"
// (patronictl stops with a traceback there). Returns whether the member accepted.
bool check_response(const http_outcome& sent, const std::string& member, const std::string& action,
                    std::ostream& out, bool silent_success = false);

struct chosen_members {
  cluster_view view;
  std::vector<member_record> members;
};

// Connects `dcs`, reads the cluster, shows it as patronictl does and chooses the members
// (choose_members). nullopt after printing why not: "Error: <why>" or "Aborted!".
std::optional<chosen_members> load_and_choose(dcs_access& dcs, const command_env& env,
                                              const member_selection& selection,
                                              const std::string& action, bool ask_confirmation);

// Prints a refused choice as click does ("Aborted!" or "Error: <why>") and returns the exit
// status, 1.
int report_refusal(const member_choice& refused, const command_env& env);

}  // namespace praetor::ctl

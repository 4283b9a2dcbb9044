#include "apps/praetorctl/pause_command.hpp"

#include <algorithm>
#include <thread>

#include "apps/praetorctl/dcs_access.hpp"
#include "apps/praetorctl/failover_plan.hpp"
#include "apps/praetorctl/member_call.hpp"

namespace praetor::ctl {

namespace {

// Members (with an api_url when the request went out) whose record does not say `pause` yet.
std::vector<std::string> not_yet(const cluster_view& view, const std::vector<std::string>& asked,
                                 bool pause) {
  std::vector<std::string> out;
  for (const auto& m : view.members)
    if (m.pause != pause && std::find(asked.begin(), asked.end(), m.name) != asked.end())
      out.push_back(m.name);
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// patronictl's wait_until_pause_is_applied: polls the member records every second.
void wait_until_applied(dcs_access& dcs, const command_env& env, const cluster_view& before,
                        bool pause) {
  env.out << "'" << (pause ? "pause" : "resume")
          << "' request sent, waiting until it is recognized by all nodes\n";
  env.out.flush();
  std::vector<std::string> asked;
  for (const auto& m : before.members)
    if (!m.api_url.empty()) asked.push_back(m.name);
  const int loop_wait = loop_wait_of(before, env);
  std::vector<std::string> remaining = asked;
  for (int i = 0; i <= loop_wait + 1 && !remaining.empty(); ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
    auto now = dcs.read_cluster();
    if (now.view) remaining = not_yet(*now.view, asked, pause);
  }
  if (!remaining.empty()) {
    env.out << joined(remaining) << " members didn't recognized pause state after " << loop_wait
            << " seconds\n";
    return;
  }
  env.out << "Success: cluster management is " << (pause ? "paused" : "resumed") << "\n";
}

}  // namespace

int run_pause(const command_env& env, bool pause, bool wait) {
  dcs_access dcs(env.dcs);
  auto view = connect_and_load(dcs, env);
  if (!view) return 1;
  if (is_paused(*view) == pause) {
    env.err << "Error: Cluster is " << (pause ? "already" : "not") << " paused\n";
    return 1;
  }
  const std::string body = pause ? R"({"pause": true})" : R"({"pause": null})";
  for (const member_record* m : members_leader_first(*view)) {
    auto sent = call_member(*m, "PATCH", "config", body, env, std::chrono::seconds(10));
    if (!sent.reply) {
      env.err << "praetorctl: member " << m->name << " is not accessible: " << sent.error << "\n";
      continue;
    }
    if (sent.reply->status != 200) {
      env.out << "Failed: " << (pause ? "pause" : "resume")
              << " cluster management status code=" << sent.reply->status << ", ("
              << sent.reply->body << ")\n";
      return 1;
    }
    if (wait)
      wait_until_applied(dcs, env, *view, pause);
    else
      env.out << "Success: cluster management is " << (pause ? "paused" : "resumed") << "\n";
    return 0;
  }
  env.err << "Error: Can not find accessible cluster member\n";
  return 1;
}

}  // namespace praetor::ctl

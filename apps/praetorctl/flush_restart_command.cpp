#include "apps/praetorctl/flush_restart_command.hpp"

#include "apps/praetorctl/member_call.hpp"

namespace praetor::ctl {

http_outcome delete_scheduled_restart(const member_record& m, const command_env& env,
                                      bool silent_success) {
  auto sent = call_member(m, "DELETE", "restart", "", env, std::chrono::seconds(10));
  check_response(sent, m.name, "flush scheduled restart", env.out, silent_success);
  return sent;
}

int run_flush_restart(const command_env& env, const member_selection& selection) {
  dcs_access dcs(env.dcs);
  auto chosen = load_and_choose(dcs, env, selection, "flush", true);
  if (!chosen) return 1;
  int failures = 0;
  for (const auto& m : chosen->members) {
    if (m.scheduled_restart.empty()) {
      env.out << "No scheduled restart for member " << m.name << "\n";
      continue;
    }
    auto sent = delete_scheduled_restart(m, env, false);
    if (!sent.reply || (sent.reply->status >= 400 && sent.reply->status != 404)) ++failures;
  }
  return failures ? 1 : 0;
}

}  // namespace praetor::ctl

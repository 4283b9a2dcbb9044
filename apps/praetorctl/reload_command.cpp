#include "apps/praetorctl/reload_command.hpp"

#include "apps/praetorctl/member_call.hpp"

namespace praetor::ctl {

int run_reload(const command_env& env, const member_selection& selection) {
  dcs_access dcs(env.dcs);
  auto chosen = load_and_choose(dcs, env, selection, "reload", true);
  if (!chosen) return 1;
  int failures = 0;
  for (const auto& m : chosen->members) {
    auto sent = call_member(m, "POST", "reload", "", env, std::chrono::seconds(10));
    if (sent.reply && sent.reply->status == 200) {
      env.out << "No changes to apply on member " << m.name << "\n";
    } else if (sent.reply && sent.reply->status == 202) {
      env.out << "Reload request received for member " << m.name << " and will be processed within "
              << loop_wait_of(chosen->view, env) << " seconds\n";
    } else if (sent.reply) {  // patronictl's own line: any other status, 3xx too, failed
      env.out << "Failed: reload for member " << m.name << ", status code=" << sent.reply->status
              << ", (" << sent.reply->body << ")\n";
      ++failures;
    } else {
      check_response(sent, m.name, "reload", env.out);
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

}  // namespace praetor::ctl

#include "apps/praetorctl/member_call.hpp"

#include "apps/praetorctl/cluster_table.hpp"
#include "apps/praetorctl/failover_plan.hpp"
#include "apps/praetorctl/terminal_prompt.hpp"

namespace praetor::ctl {

http_outcome call_member(const member_record& m, const std::string& method,
                         const std::string& endpoint, const std::string& body,
                         const command_env& env, std::chrono::seconds answer_timeout) {
  auto target = endpoint_target(m.api_url, endpoint);
  if (auto* why = std::get_if<std::string>(&target)) return {std::nullopt, *why};
  auto& api = std::get<peers::api_target>(target);
  http_call call;
  call.method = method;
  call.target = std::move(api.http);
  call.tls = api.tls;
  call.tls_options = env.tls;
  call.body = body;
  call.authorization = env.authorization;
  call.answer_timeout = answer_timeout;
  return http_send(call);
}

bool check_response(const http_outcome& sent, const std::string& member, const std::string& action,
                    std::ostream& out, bool silent_success) {
  if (!sent.reply) {
    out << "Failed: " << action << " for member " << member << ", " << sent.error << "\n";
    return false;
  }
  if (sent.reply->status >= 400) {
    out << "Failed: " << action << " for member " << member
        << ", status code=" << sent.reply->status << ", (" << sent.reply->body << ")\n";
    return false;
  }
  if (!silent_success) out << "Success: " << action << " for member " << member << "\n";
  return true;
}

std::optional<chosen_members> load_and_choose(dcs_access& dcs, const command_env& env,
                                              const member_selection& selection,
                                              const std::string& action, bool ask_confirmation) {
  auto view = connect_and_load(dcs, env);
  if (!view) return std::nullopt;
  terminal_prompt prompt(env.in, env.out);
  auto choice =
      choose_members(*view, env.cluster_name, selection, action, ask_confirmation, prompt,
                     [&] { env.out << render_table(env.cluster_name, *view) << std::flush; });
  if (choice.refused()) {
    report_refusal(choice, env);
    return std::nullopt;
  }
  return chosen_members{std::move(*view), std::move(choice.members)};
}

int report_refusal(const member_choice& refused, const command_env& env) {
  if (refused.aborted)
    env.err << "Aborted!\n";
  else
    env.err << "Error: " << refused.error << "\n";
  return 1;
}

}  // namespace praetor::ctl

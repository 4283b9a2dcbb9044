#include "apps/praetorctl/failover_command.hpp"

#include <boost/json/serialize.hpp>

#include "apps/praetorctl/cluster_table.hpp"
#include "apps/praetorctl/dcs_access.hpp"
#include "apps/praetorctl/http_client.hpp"
#include "apps/praetorctl/member_call.hpp"
#include "apps/praetorctl/terminal_prompt.hpp"

namespace praetor::ctl {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int run_failover(const command_env& env, const failover_options& options) {
  dcs_access dcs(env.dcs);
  auto view = connect_and_load(dcs, env);
  if (!view) return 1;
  env.out << "Current cluster topology\n" << render_table(env.cluster_name, *view);
  env.out.flush();

  terminal_prompt prompt(env.in, env.out);
  auto planned = plan_failover(options, *view, env.cluster_name, prompt, env.zone);
  if (planned.aborted) {
    env.err << "Aborted!\n";
    return 1;
  }
  if (!planned.plan) {
    env.err << "Error: " << planned.error << "\n";
    return 1;
  }
  const auto& plan = *planned.plan;
  auto action = action_name(plan.action);

  http_outcome sent;
  if (const member_record* target = request_target(*view, plan)) {
    const auto body = boost::json::serialize(request_body(plan));
    const std::chrono::seconds answer_timeout(answer_timeout_s(*view));
    sent = call_member(*target, "POST", action, body, env, answer_timeout);
    // an old daemon without /switchover (patronictl's retry)
    if (sent.reply && sent.reply->status == 501 && plan.action == ctl_action::switchover &&
        sent.reply->body.find("Server does not support this operation") != std::string::npos)
      sent = call_member(*target, "POST", "failover", body, env, answer_timeout);
    if (!sent.reply) sent.error = "member " + target->name + ": " + sent.error;
  } else {
    sent.error =
        "no member record for " +
        (view->leader && !view->leader->name.empty() ? view->leader->name : plan.candidate);
  }

  if (!sent.reply && sent.delivered) {
    // The daemon got the request and may be switching over: writing the key as well could
    // start a second switchover once the first one is done.
    env.err << "praetorctl: " << sent.error << "\n";
    env.out << action_title(plan.action)
            << " status unknown: the request was sent but not answered; not falling back to DCS\n";
    return 1;
  }
  if (sent.reply) {
    if (sent.reply->status != 200 && sent.reply->status != 202) {
      env.out << action_title(plan.action) << " failed, details: " << sent.reply->status << ", "
              << sent.reply->body << "\n";
      return 1;
    }
    env.out << ctl_timestamp(now_ms(), env.zone) << " " << sent.reply->body << "\n";
  } else {
    env.err << "praetorctl: " << sent.error << "\n";
    env.out << ctl_timestamp(now_ms(), env.zone) << " Could not " << action
            << " using Patroni api, falling back to DCS\n";
    env.out.flush();
    auto written = dcs.write_failover(dcs_fallback_value(plan));
    if (!written.ok()) {
      env.err << "Error: cannot write the failover key: " << written.detail << "\n";
      return 1;
    }
  }
  auto after = dcs.read_cluster();
  env.out << render_table(env.cluster_name, after.view ? *after.view : *view);
  return 0;
}

int run_flush_switchover(const command_env& env) {
  dcs_access dcs(env.dcs);
  auto view = connect_and_load(dcs, env);
  if (!view) return 1;
  if (!has_scheduled_switchover(*view)) {
    env.out << "No pending scheduled switchover\n";
    return 0;
  }
  for (const member_record* m : members_leader_first(*view)) {
    auto sent = call_member(*m, "DELETE", "switchover", "", env, std::chrono::seconds(10));
    if (!sent.reply) {
      env.err << "praetorctl: member " << m->name << " is not accessible: " << sent.error << "\n";
      continue;
    }
    const auto& reply = *sent.reply;
    if (reply.status == 200) {
      env.out << "Success: " << reply.body << "\n";
      return 0;
    }
    if (reply.status == 404) {  // nothing scheduled any more: what flush wanted (patronictl: 0)
      env.out << "Failed: " << reply.body << "\n";
      return 0;
    }
    env.out << "Failed: member=" << m->name << ", status_code=" << reply.status << ", ("
            << reply.body << ")\n";
  }
  env.out << ctl_timestamp(now_ms(), env.zone)
          << " Could not find any accessible member of cluster " << env.cluster_name << "\n";
  env.out.flush();
  auto cleared = dcs.clear_failover(view->failover->version);
  if (!cleared.ok()) {
    env.err << "Error: cannot clear the failover key: " << cleared.detail << "\n";
    return 1;
  }
  return 0;
}

}  // namespace praetor::ctl

#include "apps/praetorctl/member_call.hpp"

#include "apps/praetorctl/failover_plan.hpp"

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

}  // namespace praetor::ctl

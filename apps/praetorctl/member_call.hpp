// One request to a member's REST API, addressed by its member record's api_url, with the
// credentials of restapi.authentication: how praetorctl acts on a member, as patronictl's
// request_patroni does. Threads: the caller's.
#pragma once

#include <chrono>
#include <string>

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/http_client.hpp"
#include "messages/member.hpp"

namespace praetor::ctl {

// `endpoint` without its slash ("switchover", "config"). The reply, or in `error` why none came.
http_outcome call_member(const member_record& m, const std::string& method,
                         const std::string& endpoint, const std::string& body,
                         const command_env& env, std::chrono::seconds answer_timeout);

}  // namespace praetor::ctl

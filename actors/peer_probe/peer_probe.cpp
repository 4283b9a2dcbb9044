#include "actors/peer_probe/peer_probe.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/actor_meter/measured.hpp"
#include "actors/actor_meter/report.hpp"
#include "actors/peer_probe/peer_answer.hpp"

namespace praetor {

namespace {

// Logs each peer's outcome in Patroni's words, so that operators find the same lines.
void log_outcome(const member_record& member, const peers::http_answer& answer,
                 const peer_status& status) {
  if (status.reachable) {
    spdlog::info("Got response from {} {}: {}", member.name, member.api_url, answer.body);
    return;
  }
  std::string_view cause = status.error;  // without the "member <name> (GET <url>): " label
  const std::string label = peers::peer_label(member.name, member.api_url) + ": ";
  if (cause.starts_with(label)) cause.remove_prefix(label.size());
  spdlog::warn(
      "Request failed to {}: GET {} ({}). Check that its REST API is up and "
      "reachable from here.",
      member.name, member.api_url.empty() ? "<no api_url>" : member.api_url, cause);
}

// Patroni's call_failsafe_member: accepted only on 200 with the body "Accepted"; logged in its
// words.
failsafe_answer failsafe_answer_from(const member_record& m, const peers::http_answer& answer) {
  if (!answer.answered) {
    spdlog::warn("Request failed to {}: POST {} ({})", m.name, m.api_url, answer.error);
    return {m.name, false, answer.error};
  }
  spdlog::info("Got response from {} {}: {}", m.name, m.api_url, answer.body);
  if (answer.http_status == 200 && answer.body == "Accepted") return {m.name, true, {}};
  return {m.name, false,
          "answered " + std::to_string(answer.http_status) + " " +
              (answer.body.empty() ? std::string("without a body") : "'" + answer.body + "'")};
}

}  // namespace

peer_probe_actor::behavior_type peer_probe(
    peer_probe_actor::stateful_pointer<peer_probe_state> self, ha_decider_actor decider,
    peers::tls_client_options tls, std::string authorization) {
  self->state.prober = std::make_unique<peers::http_prober>(peers::http_limits{}, std::move(tls));
  return {
      measured(self->state.meter,
               [self, decider](probe_peers& request) {
                 const auto timeout = std::chrono::milliseconds(std::max(request.timeout_ms, 0));
                 spdlog::debug("peer_probe: round {}: asking {} member(s), {} ms timeout",
                               request.round, request.members.size(), timeout.count());
                 if (request.members.empty()) {
                   self->anon_send(decider, peer_statuses{request.round, {}});
                   return;
                 }
                 std::vector<std::string> urls;
                 urls.reserve(request.members.size());
                 for (const auto& m : request.members) urls.push_back(m.api_url);
                 self->state.prober->get_all(
                     std::move(urls), timeout,
                     // Runs on the prober's thread: pure work and one send.
                     [decider, round = request.round, members = std::move(request.members)](
                         std::vector<peers::http_answer> answers) {
                       peer_statuses result{round, {}};
                       result.peers.reserve(members.size());
                       for (std::size_t i = 0; i < members.size(); ++i) {
                         const auto& m = members[i];
                         auto status =
                             m.api_url.empty()
                                 ? peers::unreachable_peer(m.name, m.api_url, "it has no api_url")
                                 : peers::peer_status_from(m.name, m.api_url, answers[i]);
                         log_outcome(m, answers[i], status);
                         result.peers.push_back(std::move(status));
                       }
                       caf::anon_send(decider, std::move(result));
                     });
               }),
      measured(self->state.meter,
               [self, decider, authorization](failsafe_ping& request) {
                 const auto timeout = std::chrono::milliseconds(std::max(request.timeout_ms, 0));
                 if (request.members.empty()) {
                   self->anon_send(decider, failsafe_answers{request.round, {}});
                   return;
                 }
                 std::vector<std::string> urls;
                 urls.reserve(request.members.size());
                 for (const auto& m : request.members) urls.push_back(m.api_url);
                 self->state.prober->post_all(
                     std::move(urls), "/failsafe", std::move(request.body), authorization, timeout,
                     [decider, round = request.round, members = std::move(request.members)](
                         std::vector<peers::http_answer> answers) {
                       failsafe_answers result{round, {}};
                       for (std::size_t i = 0; i < members.size(); ++i)
                         result.answers.push_back(failsafe_answer_from(members[i], answers[i]));
                       caf::anon_send(decider, std::move(result));
                     });
               }),
      [=](metrics_report) -> actor_metrics { return metrics_of(self->state.meter, self); },
  };
}

}  // namespace praetor

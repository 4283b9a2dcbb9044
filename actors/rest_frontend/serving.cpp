#include "actors/rest_frontend/serving.hpp"

#include <spdlog/spdlog.h>

#include "actors/rest_frontend/tls_server_context.hpp"

namespace praetor::rest {

std::variant<std::unique_ptr<http_server>, std::string> start_server(
    frontend_pointer self, const rest_settings& settings) {
  // Runs on the server's thread: one anon_send, through a weak handle so that the server
  // (owned by this actor's state) never keeps the actor alive.
  caf::weak_actor_ptr weak{self->ctrl()};
  auto hand_over = [weak](http_request request, http_reply reply) {
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<rest_frontend_actor>(strong),
                     rest_call{std::move(request), std::move(reply)});
    // Otherwise the reply is dropped here, which answers 503.
  };
  auto server = std::make_unique<http_server>(settings, http_limits{}, std::move(hand_over));
  server->set_snapshot(self->state.snapshot);
  if (auto error = server->start()) return *error;
  return server;
}

std::string address_of(const rest_settings& s) {
  return s.listen_host + ":" + std::to_string(s.listen_port);
}

void follow_settings(frontend_pointer self, const rest_settings& next) {
  auto& st = self->state;
  if (next == st.settings) return;
  auto with_auth_of = [](rest_settings s, const rest_settings& from) {
    s.username = from.username;
    s.password = from.password;
    return s;
  };
  if (st.server && with_auth_of(st.settings, next) == next) {
    // Only the credentials: the running server takes them, no connection is dropped.
    st.server->set_authentication(next);
    st.settings = next;
    spdlog::info("REST API: reload: new restapi.authentication");
    return;
  }
  if (auto why = check_server_tls(next)) {
    spdlog::error("REST API: reload: {}; still serving with the previous restapi settings", *why);
    return;
  }
  // The same address cannot be bound twice: the old listener goes first, for a moment.
  const bool same_address =
      next.listen_host == st.settings.listen_host && next.listen_port == st.settings.listen_port;
  if (same_address && st.server) st.server->stop();
  auto started = start_server(self, next);
  if (auto* why = std::get_if<std::string>(&started)) {
    spdlog::error("REST API: reload: {}; still serving with the previous restapi settings", *why);
    if (same_address) {
      auto back = start_server(self, st.settings);
      if (auto* again = std::get_if<std::string>(&back)) {
        spdlog::error("REST API: {}: the API does not answer; fix restapi and reload", *again);
        st.server.reset();
      } else {
        st.server = std::move(std::get<0>(back));
      }
    }
    return;
  }
  st.server = std::move(std::get<0>(started));
  spdlog::info("REST API: reload: serving on {}{} with the new restapi settings", address_of(next),
               next.certfile.empty() ? "" : " (https)");
  st.settings = next;
}

}  // namespace praetor::rest

#include "actors/rest_frontend/rest_frontend.hpp"

#include <spdlog/spdlog.h>

namespace praetor {

rest_frontend_actor::behavior_type rest_frontend(
    rest_frontend_actor::stateful_pointer<rest_frontend_state> self, rest_settings settings) {
  const std::string where = settings.listen_host + ":" + std::to_string(settings.listen_port);
  auto server = std::make_unique<rest::http_server>(std::move(settings));
  if (auto error = server->start()) {
    spdlog::error("REST API: {}. Free that address or set restapi.listen to another host:port "
                  "in the configuration, then start again.",
                  *error);
    self->quit(caf::make_error(caf::sec::cannot_open_port, "rest_frontend", where, *error));
  } else {
    self->state.server = std::move(server);
  }
  return {
      [self](node_snapshot& snapshot) {
        if (self->state.server)
          self->state.server->set_snapshot(
              std::make_shared<const node_snapshot>(std::move(snapshot)));
      },
  };
}

}  // namespace praetor

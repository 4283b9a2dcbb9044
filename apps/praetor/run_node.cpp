#include "apps/praetor/run_node.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "actors/callback_runner/callback_runner.hpp"
#include "actors/dcs_session/dcs_session.hpp"
#include "actors/ha/ha_decider.hpp"
#include "actors/peer_probe/peer_probe.hpp"
#include "actors/postgres_supervisor/postgres_supervisor.hpp"
#include "actors/rest_frontend/basic_auth.hpp"
#include "actors/rest_frontend/rest_frontend.hpp"
#include "actors/rest_frontend/tls_server_context.hpp"
#include "actors/slot_manager/slot_manager.hpp"
#include "backends/dcs/zookeeper/zookeeper_client.hpp"
#include "backends/postgres/fence.hpp"
#include "config/dynamic.hpp"
#include "config/load.hpp"
#include "config/to_settings.hpp"

namespace praetor::app {

namespace {

// Delivered to main's scoped actor by the thread that waits for signals.
struct stop_signal {
  int signo = 0;
};

caf::actor_system_config make_actor_config() {
  caf::actor_system_config cfg;
  // Only the decider and the REST actor run on the scheduler (the others are detached), and
  // both do little per message: one worker thread is plenty. An idle worker looks at its queue
  // once and goes to its condition variable (woken by every enqueue) instead of CAF's default
  // busy and 50 us polling rounds, which would cost an idle daemon more CPU than all of its
  // real work. No moderate round at all: even one sleeps 50 us, a wake-up after every job.
  cfg.set("scheduler.max-threads", 1);
  cfg.set("work-stealing.aggressive-poll-attempts", 1);
  cfg.set("work-stealing.moderate-poll-attempts", 0);
  cfg.set("work-stealing.relaxed-sleep-duration", caf::timespan{std::chrono::seconds(10)});
  cfg.set("logger.console", caf::atom("none"));
  return cfg;
}

ha::settings_source settings_from(config::node_config config) {
  return [config = std::move(config)](const std::optional<boost::json::object>& from_dcs) {
    return config::to_node_settings(config, from_dcs);
  };
}

// The file read again with the environment of now, as at start; every problem named.
ha::config_file_reader file_reader(std::string path) {
  return [path]() -> std::variant<ha::settings_source, std::string> {
    auto loaded = config::load_valid_node_config(path, config::current_environment());
    if (loaded.ok()) return settings_from(std::move(*loaded.config));
    std::string why = path + " is not valid:";
    for (const auto& e : loaded.errors) why += " " + e.path + ": " + e.message + ";";
    why.pop_back();
    return why;
  };
}

template <class Handle>
void stop_and_wait(caf::scoped_actor& self, const Handle& h) {
  self->send_exit(h, caf::exit_reason::user_shutdown);
  self->wait_for(h);
}

}  // namespace
}  // namespace praetor::app

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::app::stop_signal)

namespace praetor::app {

int run_node(const config::node_config& config, const std::string& config_path,
             const std::string& trace_path) {
  // Block the signals we handle in every thread (CAF's and ZooKeeper's inherit this mask) so
  // that one thread can sigwait() for them.
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &handled, nullptr);

  // bootstrap.dcs until the first view brings the cluster's own dynamic configuration.
  auto initial = config::to_node_settings(config, std::nullopt);
  const auto& ha = initial.ha;
  const auto& dcs = initial.dcs;
  const auto& rest = initial.rest;
  if (auto why = rest::check_server_tls(rest)) {
    spdlog::error("REST API: {}; fix restapi.certfile/keyfile or remove them", *why);
    return 1;
  }

  // The fence guard first: every postmaster this daemon starts is watched by it.
  std::string fence_error;
  if (!pg::fence::start(config.name, fence_error))
    spdlog::error(
        "{}; PostgreSQL dies with this daemon by the parent-death signal instead, and "
        "a frozen daemon's primary is not fenced",
        fence_error);

  auto cfg = make_actor_config();
  caf::actor_system sys{cfg};
  auto decider = sys.spawn(
      ha::ha_decider, initial, settings_from(config),
      config_path.empty() ? ha::config_file_reader{} : file_reader(config_path), trace_path);
  auto dcs_actor = sys.spawn<caf::detached>(dcs_session, decider, dcs,
                                            std::make_shared<dcs::zookeeper_client>(dcs));
  // Patroni waits for a callback as long as it takes; ttl bounds ours (a hung script must not
  // pile up across failovers).
  auto callbacks = sys.spawn<caf::detached>(callback_runner, config.postgresql.callbacks,
                                            config.scope, std::chrono::milliseconds(ha.ttl * 1000));
  auto pg_actor =
      sys.spawn<caf::detached>(postgres_supervisor, decider, initial.postgres, callbacks);
  auto slots_actor = sys.spawn<caf::detached>(slot_manager, decider, initial.postgres);
  // As a Patroni daemon: verify peers' certificates only when presenting one of our own.
  auto probe_actor = sys.spawn(peer_probe, decider, peers::patroni_client_tls(config.raw, true),
                               rest::basic_authorization(rest.username, rest.password));
  auto rest_actor =
      sys.spawn(rest_frontend, rest,
                rest_peers{dcs_actor, pg_actor, decider, slots_actor, probe_actor, callbacks});
  spdlog::info("praetor {} starting member '{}' of cluster '{}' (DCS {}, REST {})", PRAETOR_VERSION,
               ha.name, ha.scope, dcs.base_path, config.restapi.listen);

  int exit_code = 0;
  {
    caf::scoped_actor self{sys};
    caf::anon_send(decider, ha_peers{dcs_actor, pg_actor, slots_actor, rest_actor, probe_actor,
                                     caf::actor_cast<node_actor>(self)});
    for (const auto& a :
         {caf::actor_cast<caf::actor>(decider), caf::actor_cast<caf::actor>(rest_actor),
          caf::actor_cast<caf::actor>(dcs_actor), caf::actor_cast<caf::actor>(pg_actor),
          caf::actor_cast<caf::actor>(slots_actor), caf::actor_cast<caf::actor>(probe_actor)})
      self->monitor(a);
    auto main_handle = caf::actor_cast<caf::actor>(self);
    std::thread signal_waiter([handled, main_handle, decider] {
      int signo = 0;
      while (sigwait(&handled, &signo) == 0 && signo == SIGHUP) {
        spdlog::info("received SIGHUP: reloading the configuration");
        caf::anon_send(decider, reload_config{});
      }
      caf::anon_send(main_handle, stop_signal{signo});
    });
    signal_waiter.detach();

    self->receive(
        [&](const stop_signal& s) {
          spdlog::info("received {}: shutting down", s.signo == SIGTERM ? "SIGTERM" : "SIGINT");
        },
        [&](const shut_down& s) {
          spdlog::error("{}", s.reason);
          exit_code = 1;
        },
        [&](const caf::down_msg& d) {
          spdlog::error("an actor stopped unexpectedly ({}): shutting down",
                        caf::to_string(d.reason));
          exit_code = 1;
        });
    // The decider first, so that nothing new is started; PostgreSQL before the DCS session, so
    // that the leader lock outlives the primary and never the other way round.
    stop_and_wait(self, decider);
    stop_and_wait(self, probe_actor);
    stop_and_wait(self, slots_actor);
    stop_and_wait(self, pg_actor);
    stop_and_wait(self, callbacks);
    stop_and_wait(self, dcs_actor);
    stop_and_wait(self, rest_actor);
  }
  spdlog::info("praetor stopped");
  return exit_code;
}

}  // namespace praetor::app

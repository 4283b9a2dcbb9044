#include "actors/rest_frontend/rest_frontend.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <variant>

#include "actors/actor_meter/measured.hpp"
#include "actors/actor_meter/report.hpp"
#include "actors/rest_frontend/actor_metrics_text.hpp"
#include "actors/rest_frontend/config_request.hpp"
#include "actors/rest_frontend/metrics_text.hpp"
#include "actors/rest_frontend/reinitialize_request.hpp"
#include "actors/rest_frontend/request_target.hpp"
#include "actors/rest_frontend/restart_request.hpp"
#include "actors/rest_frontend/router.hpp"
#include "actors/rest_frontend/serving.hpp"
#include "actors/rest_frontend/status_json.hpp"
#include "actors/rest_frontend/switchover_request.hpp"

namespace praetor {

namespace {

using self_pointer = rest_frontend_actor::stateful_pointer<rest_frontend_state>;
constexpr auto dcs_write_timeout = std::chrono::seconds(5);
constexpr auto restart_timeout = std::chrono::seconds(150);
constexpr auto actor_answer_timeout = std::chrono::seconds(5);

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Nothing thrown may leave a handler: it would kill the actor and with it the REST API.
template <class F>
void guarded(const char* what, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    spdlog::error("REST API: {} failed: {}", what, e.what());
  }
}

// Logs the outcome, then answers. Sentences are logged whole; error pages by their reason.
// Reads (a Prometheus scrape) only at debug level: they change nothing.
void finish(const http_reply& reply, const std::string& what, http_response response) {
  const std::string said =
      response.content_type == "text/html" ? response.body : rest::reason_phrase(response.status);
  spdlog::log(what.starts_with("GET ") ? spdlog::level::debug : spdlog::level::info,
              "REST API: {}: answered {} {}", what, response.status, said);
  reply(std::move(response));
}

void judge_waiters(self_pointer self) {
  auto& st = self->state;
  const cluster_view* view = st.snapshot->view ? &*st.snapshot->view : nullptr;
  for (auto it = st.waiting.begin(); it != st.waiting.end();) {
    if (auto answer = rest::failover_outcome(it->second.waiter, view, st.snapshot->last_reason)) {
      finish(it->second.reply, it->second.what, std::move(*answer));
      it = st.waiting.erase(it);
    } else {
      ++it;
    }
  }
}

void wait_for_outcome(self_pointer self, rest::failover_action action,
                      const rest::failover_plan& plan, http_reply reply, std::string what) {
  auto& st = self->state;
  const std::uint64_t call = st.next_call++;
  rest::failover_waiter waiter;
  waiter.action = action;
  waiter.leader_at_request = plan.leader_at_request;
  waiter.candidate = plan.request.member;
  st.waiting.emplace(call, rest_frontend_state::waiting_call{waiter, std::move(reply), what});
  self->delayed_send(self, rest::failover_wait(st.snapshot->loop_wait), failover_wait_over{call});
  judge_waiters(self);  // the view may already show the outcome
}

void post_failover(self_pointer self, rest::failover_action action, rest_call& call,
                   const std::string& what) {
  auto& st = self->state;
  auto checked = rest::check_failover_request(action, call.request, *st.snapshot, now_ms());
  if (auto* refusal = std::get_if<http_response>(&checked))
    return finish(call.reply, what, std::move(*refusal));
  auto plan = std::get<rest::failover_plan>(std::move(checked));
  const std::string failed =
      fmt::format("failed to write {} key into DCS", rest::action_name(action));
  if (!st.peers.dcs) return finish(call.reply, what, rest::text_response(503, failed));
  // From here on the log names the key being written.
  const std::string writing =
      fmt::format("{} writing {}", what, boost::json::serialize(failover_to_json(plan.request)));
  self->request(st.peers.dcs, dcs_write_timeout, write_failover{plan.request, znode_version{-1}})
      .then(
          [self, action, plan, reply = call.reply, what = writing, failed](const dcs_result& r) {
            guarded("taking the DCS result", [&] {
              if (!r.ok) {
                spdlog::warn("REST API: {}: {}", what, r.detail);
                return finish(reply, what, rest::text_response(503, failed));
              }
              if (plan.scheduled)
                return finish(reply, what,
                              rest::text_response(202, rest::action_title(action) + " scheduled"));
              wait_for_outcome(self, action, plan, reply, what);
            });
          },
          [reply = call.reply, what = writing, failed](const caf::error& e) {
            guarded("taking the DCS error", [&] {
              spdlog::warn("REST API: {}: the DCS session did not answer: {}", what,
                           caf::to_string(e));
              finish(reply, what, rest::text_response(503, failed));
            });
          });
}

void delete_switchover(self_pointer self, rest_call& call, const std::string& what) {
  auto& st = self->state;
  auto checked = rest::check_delete_switchover(*st.snapshot);
  if (auto* refusal = std::get_if<http_response>(&checked))
    return finish(call.reply, what, std::move(*refusal));
  // Patroni answers any failure of the compare-and-set clear with send_error(409).
  auto conflict = rest::html_error_page(409, "Request conflict");
  if (!st.peers.dcs) return finish(call.reply, what, conflict);
  self->request(st.peers.dcs, dcs_write_timeout, std::get<write_failover>(checked))
      .then(
          [reply = call.reply, what, conflict](const dcs_result& r) {
            guarded("taking the DCS result", [&] {
              if (!r.ok) {
                spdlog::warn("REST API: {}: {}", what, r.detail);
                return finish(reply, what, conflict);
              }
              finish(reply, what, rest::text_response(200, "scheduled switchover deleted"));
            });
          },
          [reply = call.reply, what, conflict](const caf::error& e) {
            guarded("taking the DCS error", [&] {
              spdlog::warn("REST API: {}: the DCS session did not answer: {}", what,
                           caf::to_string(e));
              finish(reply, what, conflict);
            });
          });
}

void change_config_key(self_pointer self, bool put, rest_call& call, const std::string& what) {
  auto& st = self->state;
  auto checked = put ? rest::check_put_config(call.request, *st.snapshot)
                     : rest::check_patch_config(call.request, *st.snapshot);
  if (auto* answer = std::get_if<http_response>(&checked))
    return finish(call.reply, what, std::move(*answer));
  auto change = std::get<change_config>(std::move(checked));
  const config_change_result no_answer{false, false, "the DCS session is not there"};
  if (!st.peers.dcs)
    return finish(call.reply, what, rest::config_change_answer(put, change, no_answer));
  self->request(st.peers.dcs, dcs_write_timeout, change)
      .then(
          [put, change, reply = call.reply, what](const config_change_result& r) {
            guarded("taking the DCS result", [&] {
              if (!r.ok) spdlog::warn("REST API: {}: {}", what, r.detail);
              finish(reply, what, rest::config_change_answer(put, change, r));
            });
          },
          [put, change, reply = call.reply, what](const caf::error& e) {
            guarded("taking the DCS error", [&] {
              spdlog::warn("REST API: {}: the DCS session did not answer: {}", what,
                           caf::to_string(e));
              finish(reply, what,
                     rest::config_change_answer(put, change, {false, false, caf::to_string(e)}));
            });
          });
}

// Asks `to` and answers with what `answer` makes of the reply, or `no_answer` if none comes.
template <class Result, class Handle, class Request, class Answer>
void ask_and_answer(self_pointer self, const Handle& to, std::chrono::seconds timeout,
                    Request request, rest_call& call, const std::string& what, Answer answer,
                    http_response no_answer) {
  if (!to) return finish(call.reply, what, std::move(no_answer));
  self->request(to, timeout, std::move(request))
      .then(
          [reply = call.reply, what, answer](const Result& result) {
            guarded("taking an answer", [&] { finish(reply, what, answer(result)); });
          },
          [reply = call.reply, what, no_answer](const caf::error& e) {
            guarded("taking an error", [&] {
              spdlog::warn("REST API: {}: no answer: {}", what, caf::to_string(e));
              finish(reply, what, no_answer);
            });
          });
}

void post_restart(self_pointer self, rest_call& call, const std::string& what) {
  auto& st = self->state;
  auto checked = rest::check_restart_request(call.request, *st.snapshot, now_ms());
  if (auto* answer = std::get_if<http_response>(&checked))
    return finish(call.reply, what, std::move(*answer));
  // A stop and a start, each bounded by pg_ctl_timeout in the supervisor.
  ask_and_answer<restart_result>(
      self, st.peers.postgres, restart_timeout, std::get<restart_postgres>(checked), call, what,
      [what](const restart_result& r) {
        if (r.outcome == restart_outcome::failed)
          spdlog::warn("REST API: {}: restart failed: {}", what, r.detail);
        return rest::restart_answer(r);
      },
      rest::restart_answer({restart_outcome::failed, "no answer"}));
}

void delete_restart(self_pointer self, rest_call& call, const std::string& what) {
  ask_and_answer<bool>(
      self, self->state.peers.postgres, actor_answer_timeout, cancel_scheduled_restart{}, call,
      what, [](bool deleted) { return rest::delete_restart_answer(deleted); },
      rest::text_response(503, "the PostgreSQL supervisor did not answer"));
}

void post_reinitialize(self_pointer self, rest_call& call, const std::string& what) {
  auto checked = rest::check_reinitialize_request(call.request);
  if (auto* answer = std::get_if<http_response>(&checked))
    return finish(call.reply, what, std::move(*answer));
  ask_and_answer<reinitialize_answer>(
      self, self->state.peers.decider, actor_answer_timeout,
      std::get<reinitialize_request>(checked), call, what,
      [](const reinitialize_answer& a) { return rest::reinitialize_response(a); },
      rest::text_response(503, "the HA decider did not answer"));
}

// POST /failsafe from a primary in failsafe mode: the decider answers (failsafe.hpp).
void post_failsafe(self_pointer self, rest_call& call, const std::string& what) {
  auto body = rest::read_json_body(call.request);
  if (auto* refused = std::get_if<http_response>(&body))
    return finish(call.reply, what, std::move(*refused));
  const auto& o = std::get<boost::json::object>(body);
  auto text = [&o](const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  failsafe_notice notice{text("name"), text("conn_url"), text("api_url"),
                         slot_positions_from_json(o.if_contains("slots"))};
  ask_and_answer<failsafe_reply>(
      self, self->state.peers.decider, actor_answer_timeout, std::move(notice), call, what,
      [](const failsafe_reply& r) {
        return r.status == 502 ? rest::html_error_page(502, r.text)
                               : rest::text_response(r.status, r.text);
      },
      rest::text_response(503, "the HA decider did not answer"));
}

// Patroni reads PostgreSQL for every GET /patroni. A peer deciding whether we may take over
// compares our WAL position with its own, so it is read now: the snapshot's may be a loop_wait
// old. If the supervisor is slow to answer, the snapshot it is.
void get_patroni(self_pointer self, rest_call& call, const std::string& what) {
  auto snapshot = self->state.snapshot;
  auto render = [snapshot](const pg_status* fresh) {
    node_snapshot s = *snapshot;
    if (fresh) s.pg = *fresh;
    return rest::json_response(200, boost::json::serialize(rest::status_json(s, now_ms())));
  };
  ask_and_answer<pg_status>(
      self, self->state.peers.postgres, std::chrono::seconds(1), pg_status_request{}, call, what,
      [render](const pg_status& fresh) { return render(&fresh); }, render(nullptr));
}

// Patroni only flags the reload for its next loop; the decider reads the file at once.
void post_reload(self_pointer self, rest_call& call, const std::string& what) {
  if (self->state.peers.decider) self->send(self->state.peers.decider, reload_config{});
  finish(call.reply, what, rest::text_response(202, "reload scheduled"));
}

// Answers once every asked actor has answered or timed out.
struct metrics_gathering {
  std::vector<actor_metrics> reports;
  int pending = 0;
  bool as_json = false;  // GET /actors
  http_reply reply;
  std::string what;
};

void answer_metrics(self_pointer self, metrics_gathering& g) {
  std::sort(g.reports.begin(), g.reports.end(),
            [](const auto& a, const auto& b) { return a.actor < b.actor; });
  http_response r;
  r.status = 200;
  if (g.as_json) {
    r.content_type = "application/json";
    r.body = boost::json::serialize(rest::actors_json(g.reports));
  } else {
    r.content_type = "text/plain";
    r.body =
        rest::metrics_text(*self->state.snapshot, now_ms()) + rest::actor_metrics_text(g.reports);
  }
  finish(g.reply, g.what, std::move(r));
}

void get_metrics(self_pointer self, rest_call& call, const std::string& what, bool as_json) {
  auto g = std::make_shared<metrics_gathering>();
  g->as_json = as_json;
  g->reply = call.reply;
  g->what = what;
  g->reports.push_back(metrics_of(self->state.meter, self));
  auto ask = [&](const auto& actor) {
    if (!actor) return;
    ++g->pending;
    self->request(actor, std::chrono::seconds(1), metrics_report{})
        .then(
            [self, g](actor_metrics& m) {
              g->reports.push_back(std::move(m));
              if (--g->pending == 0)
                guarded("answering metrics", [&] { answer_metrics(self, *g); });
            },
            [self, g](const caf::error&) {
              if (--g->pending == 0)
                guarded("answering metrics", [&] { answer_metrics(self, *g); });
            });
  };
  const auto& p = self->state.peers;
  ask(p.dcs);
  ask(p.postgres);
  ask(p.decider);
  ask(p.slots);
  ask(p.probes);
  ask(p.callbacks);
  if (g->pending == 0) answer_metrics(self, *g);
}

void on_call(self_pointer self, rest_call& call) {
  const auto& req = call.request;
  const auto target = rest::parse_request_target(req.target);
  const std::string_view segment = rest::first_path_segment(target.path);
  const std::string what = fmt::format("{} {} from {}", req.method, target.path, req.peer);
  spdlog::log(req.method == "GET" ? spdlog::level::debug : spdlog::level::info,
              "REST API: received {}", what);
  if (req.method == "POST" && segment == "switchover")
    return post_failover(self, rest::failover_action::switchover, call, what);
  if (req.method == "POST" && segment == "failover")
    return post_failover(self, rest::failover_action::failover, call, what);
  if (req.method == "DELETE" && segment == "switchover") return delete_switchover(self, call, what);
  if (req.method == "PATCH" && segment == "config")
    return change_config_key(self, false, call, what);
  if (req.method == "PUT" && segment == "config") return change_config_key(self, true, call, what);
  if (req.method == "POST" && segment == "restart") return post_restart(self, call, what);
  if (req.method == "DELETE" && segment == "restart") return delete_restart(self, call, what);
  if (req.method == "POST" && segment == "reinitialize") return post_reinitialize(self, call, what);
  if (req.method == "POST" && segment == "reload") return post_reload(self, call, what);
  if (req.method == "POST" && segment == "failsafe") return post_failsafe(self, call, what);
  if (req.method == "GET" && segment == "patroni") return get_patroni(self, call, what);
  if (req.method == "GET" && segment == "metrics") return get_metrics(self, call, what, false);
  if (req.method == "GET" && segment == "actors") return get_metrics(self, call, what, true);
  finish(call.reply, what, rest::error_json(501, "Unsupported method"));
}

}  // namespace

rest_frontend_actor::behavior_type rest_frontend(self_pointer self, rest_settings settings,
                                                 rest_peers peers) {
  self->state.peers = std::move(peers);
  self->state.settings = settings;
  auto started = rest::start_server(self, settings);
  if (auto* error = std::get_if<std::string>(&started)) {
    spdlog::error(
        "REST API: {}. Free that address or set restapi.listen to another host:port "
        "in the configuration, then start again.",
        *error);
    self->quit(caf::make_error(caf::sec::cannot_open_port, "rest_frontend",
                               rest::address_of(settings), *error));
  } else {
    self->state.server = std::move(std::get<0>(started));
  }
  return {
      measured(self->state.meter,
               [self](node_snapshot& snapshot) {
                 guarded("taking a snapshot", [&] {
                   auto shared = std::make_shared<const node_snapshot>(std::move(snapshot));
                   if (self->state.server) self->state.server->set_snapshot(shared);
                   self->state.snapshot = std::move(shared);
                   judge_waiters(self);
                 });
               }),
      measured(self->state.meter,
               [self](const rest_settings& next) {
                 guarded("taking new settings", [&] { rest::follow_settings(self, next); });
               }),
      measured(self->state.meter,
               [self](rest_call& call) {
                 guarded("answering a request", [&] { on_call(self, call); });
               }),
      measured(self->state.meter,
               [self](const failover_wait_over& m) {
                 guarded("ending a wait", [&] {
                   auto it = self->state.waiting.find(m.call);
                   if (it == self->state.waiting.end()) return;  // answered already
                   auto& w = it->second;
                   finish(w.reply, w.what, rest::failover_status_unknown(w.waiter));
                   self->state.waiting.erase(it);
                 });
               }),
  };
}

}  // namespace praetor

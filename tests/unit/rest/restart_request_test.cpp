// POST /restart: Patroni 3.0.2's filter and schedule checks (400 or 422 naming the bad one),
// the restart they make for the supervisor, and the answers to its outcome.
#include "actors/rest_frontend/restart_request.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;

namespace {

http_request restart(std::string body) {
  http_request r;
  r.method = "POST";
  r.target = "/restart";
  if (!body.empty()) r.headers.emplace_back("content-length", std::to_string(body.size()));
  r.body = std::move(body);
  return r;
}

constexpr std::int64_t now = 1'900'000'000'000;  // 2030-03-17T17:46:40Z

// The answer given at once, or status 0 when the restart goes ahead.
http_response judged(const std::string& body, const node_snapshot& s) {
  auto r = check_restart_request(restart(body), s, now);
  if (auto* answer = std::get_if<http_response>(&r)) return *answer;
  http_response going_ahead;
  going_ahead.status = 0;
  return going_ahead;
}

node_snapshot primary_on(int server_version, bool pending) {
  auto s = test::primary_snapshot();
  s.pg.server_version = server_version;
  s.pg.pending_restart = pending;
  return s;
}

}  // namespace

TEST_CASE("postgres_version_number reads versions as Patroni's postgres_version_to_int",
          "[rest][restart]") {
  CHECK(postgres_version_number("15.2") == std::variant<int, std::string>(150002));
  CHECK(postgres_version_number("9.6.3") == std::variant<int, std::string>(90603));
  CHECK(postgres_version_number("10.1.2") == std::variant<int, std::string>(100102));
  const std::string format = "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: ";
  CHECK(postgres_version_number("9.6") == std::variant<int, std::string>(format + "9.6"));
  CHECK(postgres_version_number("15") == std::variant<int, std::string>(format + "15"));
  CHECK(postgres_version_number("15.2.1.1") == std::variant<int, std::string>(format + "15.2.1.1"));
  CHECK(postgres_version_number("fifteen") ==
        std::variant<int, std::string>("Invalid PostgreSQL version: fifteen"));
  CHECK(postgres_version_number("15.x") ==
        std::variant<int, std::string>("Invalid PostgreSQL version: 15.x"));
}

TEST_CASE("POST /restart without conditions restarts, with an empty body too", "[rest][restart]") {
  CHECK(judged("", primary_on(150004, false)).status == 0);
  CHECK(judged("{}", primary_on(150004, false)).status == 0);  // what patronictl sends
}

TEST_CASE("POST /restart refuses bad filters naming them", "[rest][restart]") {
  auto s = primary_on(150004, false);
  auto role = judged(R"({"role": "leader"})", s);
  CHECK(role.status == 400);
  CHECK(role.body == "PostgreSQL role should be either primary or replica");
  CHECK(judged(R"({"postgres_version": "abc"})", s).status == 400);
  auto timeout = judged(R"({"timeout": -5})", s);
  CHECK(timeout.status == 400);
  CHECK(timeout.body == "Timeout should be a positive number of seconds");
  CHECK(judged(R"({"timeout": "30s"})", s).status == 0);
  auto unknown = judged(R"({"when": "now"})", s);
  CHECK(unknown.status == 400);
  CHECK(unknown.body == "Unknown filter for the scheduled restart: when");
  CHECK(judged("[1, 2]", s).status == 400);
}

// The restart sent to the supervisor for a body that passed the checks.
restart_postgres sent(const std::string& body, const node_snapshot& s) {
  auto r = check_restart_request(restart(body), s, now);
  REQUIRE(std::holds_alternative<restart_postgres>(r));
  return std::get<restart_postgres>(r);
}

TEST_CASE("POST /restart hands its conditions to the supervisor", "[rest][restart]") {
  auto s = primary_on(150004, true);
  CHECK(sent("", s) == restart_postgres{});
  CHECK(sent(R"({"role": "master"})", s).conditions.role == "primary");
  CHECK(sent(R"({"role": "replica"})", s).conditions.role == "replica");
  CHECK(sent(R"({"postgres_version": "15.5"})", s).conditions.below_version == 150005);
  CHECK(sent(R"({"restart_pending": true})", s).conditions.only_pending);
  CHECK_FALSE(sent(R"({"restart_pending": false})", s).conditions.only_pending);
}

TEST_CASE("POST /restart with a schedule: checked as Patroni, published in ISO form",
          "[rest][restart]") {
  auto s = primary_on(150004, false);
  auto r = sent(R"({"schedule": "2030-03-18T12:00:00+02:00", "role": "primary"})", s);
  CHECK(r.at_ms == 1'900'058'400'000);
  CHECK(r.conditions.role == "primary");
  CHECK(r.published.at("schedule") == "2030-03-18T10:00:00+00:00");
  CHECK(r.published.at("role") == "primary");

  auto past = judged(R"({"schedule": "2020-01-01T00:00:00+00:00"})", s);
  CHECK(past.status == 422);
  CHECK(past.body == "Cannot schedule restart in the past");
  auto no_zone = judged(R"({"schedule": "2030-03-18T00:00:00"})", s);
  CHECK(no_zone.status == 400);
  CHECK(no_zone.body == "Timezone information is mandatory for the scheduled restart");
  CHECK(judged(R"({"schedule": "soon"})", s).status == 422);

  auto paused = s;
  paused.view->config = boost::json::object{{"pause", true}};
  auto refused = judged(R"({"schedule": "2030-03-18T00:00:00+00:00"})", paused);
  CHECK(refused.status == 500);
  CHECK(refused.body == "Can't schedule restart in the paused state");
}

TEST_CASE("the restart's outcome in Patroni's words", "[rest][restart]") {
  CHECK(restart_answer({restart_outcome::restarted, ""}).status == 200);
  CHECK(restart_answer({restart_outcome::restarted, ""}).body == "restarted successfully");
  CHECK(restart_answer({restart_outcome::failed, "start failed"}).status == 503);
  CHECK(restart_answer({restart_outcome::failed, "start failed"}).body == "restart failed");
  auto refused = restart_answer({restart_outcome::refused, "restart conditions are not satisfied"});
  CHECK(refused.status == 503);
  CHECK(refused.body == "restart conditions are not satisfied");
  CHECK(restart_answer({restart_outcome::scheduled, ""}).status == 202);
  CHECK(restart_answer({restart_outcome::scheduled, ""}).body == "Restart scheduled");
  CHECK(restart_answer({restart_outcome::already_scheduled, ""}).status == 409);
  CHECK(restart_answer({restart_outcome::already_scheduled, ""}).body ==
        "Another restart is already scheduled");
  CHECK(delete_restart_answer(true).status == 200);
  CHECK(delete_restart_answer(true).body == "scheduled restart deleted");
  CHECK(delete_restart_answer(false).status == 404);
  CHECK(delete_restart_answer(false).body == "no restarts are scheduled");
}

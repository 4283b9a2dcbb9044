// POST /restart: Patroni 3.0.2's filter checks (400 naming the bad one), its conditions
// against the node's status (503), and the version numbers it compares.
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

// The answer given at once, or status 0 when the restart goes ahead.
http_response judged(const std::string& body, const node_snapshot& s) {
  auto r = check_restart_request(restart(body), s);
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

TEST_CASE("postgres_version_number reads X.Y and X.Y.Z as server_version_num", "[rest][restart]") {
  CHECK(postgres_version_number("15.2") == 150002);
  CHECK(postgres_version_number("9.6.3") == 90603);
  CHECK(postgres_version_number("9.6") == 90600);
  CHECK_FALSE(postgres_version_number("15"));
  CHECK_FALSE(postgres_version_number("15.2.1"));  // 10+ has two parts
  CHECK_FALSE(postgres_version_number("fifteen"));
  CHECK_FALSE(postgres_version_number("15.x"));
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
  auto scheduled = judged(R"({"schedule": "2030-01-01T00:00:00+00:00"})", s);
  CHECK(scheduled.status == 400);
  CHECK(scheduled.body.find("not supported") != std::string::npos);
  CHECK(judged("[1, 2]", s).status == 400);
}

TEST_CASE("POST /restart restarts only where its conditions hold", "[rest][restart]") {
  auto s = primary_on(150004, true);
  CHECK(judged(R"({"role": "primary"})", s).status == 0);
  CHECK(judged(R"({"role": "master"})", s).status == 0);
  auto replica_only = judged(R"({"role": "replica"})", s);
  CHECK(replica_only.status == 503);
  CHECK(replica_only.body == "restart conditions are not satisfied");
  CHECK(judged(R"({"postgres_version": "15.5"})", s).status == 0);  // running 15.4 < 15.5
  CHECK(judged(R"({"postgres_version": "15.4"})", s).status == 503);
  CHECK(judged(R"({"restart_pending": true})", s).status == 0);
  CHECK(judged(R"({"restart_pending": true})", primary_on(150004, false)).status == 503);
  auto starting = primary_on(150004, false);
  starting.pg.state = "starting";
  CHECK(judged("", starting).body == "postgres is still starting");
}

TEST_CASE("the restart's outcome in Patroni's words", "[rest][restart]") {
  CHECK(restart_answer({true, ""}).status == 200);
  CHECK(restart_answer({true, ""}).body == "restarted successfully");
  CHECK(restart_answer({false, "start failed"}).status == 503);
  CHECK(restart_answer({false, "start failed"}).body == "restart failed");
}

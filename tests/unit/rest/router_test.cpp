// Routing: method + first path segment, the generic health handler, the 501 for unknown
// methods, and the hand-over of switchover and failover to the actor.
#include "actors/rest_frontend/router.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "actors/rest_frontend/request_target.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
using praetor::rest::test::now_ms;
namespace json = boost::json;

namespace {
http_response call(std::string method, std::string target, const node_snapshot& s) {
  http_request r;
  r.method = std::move(method);
  r.target = std::move(target);
  auto routed = route(r, s, now_ms);
  REQUIRE(std::holds_alternative<http_response>(routed));
  return std::get<http_response>(routed);
}

bool handed_over(std::string method, std::string target) {
  http_request r;
  r.method = std::move(method);
  r.target = std::move(target);
  return std::holds_alternative<hand_over>(route(r, test::primary_snapshot(), now_ms));
}
}  // namespace

TEST_CASE("request targets split like urlparse + parse_qs", "[router]") {
  auto t = parse_request_target("/replica?lag=16MB&tag_zone=a%20b&tag_x=&flag&lag=1&tag_y=c+d");
  CHECK(t.path == "/replica");
  CHECK(t.query.at("lag") == "16MB");  // first value wins
  CHECK(t.query.at("tag_zone") == "a b");
  CHECK(t.query.at("tag_y") == "c d");
  CHECK_FALSE(t.query.contains("tag_x"));  // blank values are dropped
  CHECK_FALSE(t.query.contains("flag"));
  CHECK(parse_request_target("").path == "/");
  CHECK(first_path_segment("/patroni/x") == "patroni");
  CHECK(first_path_segment("/") == "");
}

TEST_CASE("routes", "[router]") {
  auto primary = test::primary_snapshot();
  auto replica = test::replica_snapshot();

  // The actor reads PostgreSQL for the status JSON of /patroni, as Patroni does.
  CHECK(handed_over("GET", "/patroni"));

  auto r = call("GET", "/primary", replica);  // health GET: code plus the status JSON
  CHECK(r.status == 503);
  CHECK_FALSE(r.status_only);
  CHECK(r.content_type == "application/json");
  CHECK(json::parse(r.body).at("state") == "running");
  CHECK(json::parse(r.body).at("role") == "replica");

  r = call("GET", "/replica?lag=10", replica);
  CHECK(r.status == 503);
  r = call("GET", "/replica?lag=1MB", replica);
  CHECK(r.status == 200);

  r = call("OPTIONS", "/primary", primary);
  CHECK(r.status == 200);
  CHECK(r.status_only);
  CHECK(r.body.empty());
  r = call("HEAD", "/primary", replica);
  CHECK(r.status == 503);
  CHECK(r.status_only);
  r = call("HEAD", "/patroni", primary);  // no HEAD handler for /patroni: the health check
  CHECK(r.status == 503);

  r = call("GET", "/liveness", primary);
  CHECK(r.status == 200);
  CHECK(r.status_only);
  r = call("GET", "/readiness", test::stopped_snapshot());
  CHECK(r.status == 503);
  CHECK(r.status_only);

  r = call("GET", "/cluster", primary);
  CHECK(r.status == 200);
  CHECK(json::parse(r.body).at("members").as_array().size() == 2);

  r = call("GET", "/history", primary);
  CHECK(r.status == 200);
  CHECK(r.body == "[]");
  r = call("GET", "/config", primary);
  CHECK(r.status == 200);
  CHECK(json::parse(r.body).at("ttl").as_int64() == 30);
  primary.view->config.reset();
  r = call("GET", "/config", primary);
  CHECK(r.status == 502);
  CHECK(r.content_type.starts_with("text/html"));

  r = call("POST", "/nonsense", primary);
  CHECK(r.status == 501);
  CHECK(r.body == R"({"error":"Unsupported method"})");
  r = call("DELETE", "/patroni", primary);
  CHECK(r.status == 501);
}

TEST_CASE("restart, reload and reinitialize go to the actor", "[router]") {
  CHECK(handed_over("POST", "/restart"));
  CHECK(handed_over("DELETE", "/restart"));
  CHECK(handed_over("POST", "/reload"));
  CHECK(handed_over("POST", "/reinitialize"));
  CHECK_FALSE(handed_over("DELETE", "/reload"));
  CHECK_FALSE(handed_over("DELETE", "/reinitialize"));
}

TEST_CASE("switchover and failover go to the actor", "[router]") {
  CHECK(handed_over("POST", "/switchover"));
  CHECK(handed_over("POST", "/failover"));
  CHECK(handed_over("POST", "/switchover/extra?x=1"));  // the first segment picks
  CHECK(handed_over("DELETE", "/switchover"));
  CHECK_FALSE(handed_over("DELETE", "/failover"));
  CHECK_FALSE(handed_over("GET", "/switchover"));  // a health check path like any other
  CHECK_FALSE(handed_over("PUT", "/switchover"));
}

TEST_CASE("GET /failsafe shows the failsafe key; POST /failsafe goes to the actor",
          "[router][failsafe]") {
  auto s = test::primary_snapshot();
  auto r = call("GET", "/failsafe", s);
  CHECK(r.status == 502);  // no key: Patroni's send_error(502)
  CHECK(r.content_type.starts_with("text/html"));
  s.view->failsafe = json::object{{"node1", "http://127.0.0.1:8008/patroni"}};
  r = call("GET", "/failsafe", s);
  CHECK(r.status == 200);
  CHECK(json::parse(r.body) == json::parse(R"({"node1":"http://127.0.0.1:8008/patroni"})"));
  CHECK(handed_over("POST", "/failsafe"));
}

// POST /reinitialize's body as Patroni reads it (optional; force by parse_bool) and the answers.
#include "actors/rest_frontend/reinitialize_request.hpp"

#include <catch2/catch.hpp>

using namespace praetor;
using namespace praetor::rest;

namespace {
http_request reinitialize(std::string body, bool with_length = true) {
  http_request r;
  r.method = "POST";
  r.target = "/reinitialize";
  if (with_length) r.headers.emplace_back("Content-Length", std::to_string(body.size()));
  r.body = std::move(body);
  return r;
}

std::optional<bool> force_of(const std::string& body) {
  auto r = check_reinitialize_request(reinitialize(body));
  if (auto* req = std::get_if<reinitialize_request>(&r)) return req->force;
  return std::nullopt;
}
}  // namespace

TEST_CASE("POST /reinitialize: the body is optional, force is a loose boolean",
          "[rest][reinitialize]") {
  CHECK(force_of("") == false);
  CHECK(std::get<reinitialize_request>(check_reinitialize_request(reinitialize("", false))) ==
        reinitialize_request{false});
  CHECK(force_of("{}") == false);
  CHECK(force_of(R"({"force": true})") == true);
  CHECK(force_of(R"({"force": "yes"})") == true);
  CHECK(force_of(R"({"force": 1})") == true);
  CHECK(force_of(R"({"force": "off"})") == false);
  CHECK(force_of(R"({"force": "maybe"})") == false);

  auto bad = check_reinitialize_request(reinitialize("{not json"));
  REQUIRE(std::holds_alternative<http_response>(bad));
  CHECK(std::get<http_response>(bad).status == 400);
  CHECK(std::holds_alternative<http_response>(check_reinitialize_request(reinitialize("[true]"))));
}

TEST_CASE("POST /reinitialize answers: 200 started, 503 with the reason", "[rest][reinitialize]") {
  auto started = reinitialize_response({true, "reinitialize started"});
  CHECK(started.status == 200);
  CHECK(started.body == "reinitialize started");
  auto refused = reinitialize_response({false, "I am the leader, can not reinitialize"});
  CHECK(refused.status == 503);
  CHECK(refused.body == "I am the leader, can not reinitialize");
  CHECK(refused.content_type == "text/html");
}

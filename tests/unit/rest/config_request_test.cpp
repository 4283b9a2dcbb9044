// PATCH and PUT /config: Patroni 3.0.2's answers (411, 400, 503, 200 unchanged, 409, 502), the
// merge (objects key by key, null deletes), and the validation Patroni leaves out.
#include "actors/rest_frontend/config_request.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
namespace json = boost::json;

namespace {

http_request call(std::string method, std::string body, bool with_length = true) {
  http_request r;
  r.method = std::move(method);
  r.target = "/config";
  if (with_length) r.headers.emplace_back("content-length", std::to_string(body.size()));
  r.body = std::move(body);
  return r;
}

node_snapshot with_config(json::object config, int version = 4) {
  auto s = test::primary_snapshot();
  s.view->config = std::move(config);
  s.view->config_version = znode_version{version};
  return s;
}

const json::object base{{"ttl", 30},
                        {"loop_wait", 10},
                        {"retry_timeout", 10},
                        {"postgresql", json::object{{"parameters", json::object{
                                                                       {"max_connections", 100},
                                                                       {"work_mem", "4MB"},
                                                                   }}}}};

const http_response& answer(const config_check& c) {
  REQUIRE(std::holds_alternative<http_response>(c));
  return std::get<http_response>(c);
}

const change_config& change(const config_check& c) {
  if (auto* r = std::get_if<http_response>(&c)) FAIL("answered " << r->status << " " << r->body);
  return std::get<change_config>(c);
}

}  // namespace

TEST_CASE("PATCH /config merges over the stored configuration, compare-and-set on its version",
          "[rest][config]") {
  auto s = with_config(base);
  auto c = check_patch_config(
      call(
          "PATCH",
          R"({"loop_wait": 5, "postgresql": {"parameters": {"work_mem": null, "wal_keep_size": "1GB"}}})"),
      s);
  const auto& w = change(c);
  CHECK(w.expected.value == 4);
  CHECK(w.config.at("loop_wait") == 5);
  CHECK(w.config.at("ttl") == 30);
  const auto& params = w.config.at("postgresql").at("parameters").as_object();
  CHECK_FALSE(params.contains("work_mem"));  // null deletes
  CHECK(params.at("wal_keep_size") == "1GB");
  CHECK(params.at("max_connections") == 100);  // objects merge key by key
}

TEST_CASE("PATCH /config that changes nothing answers 200 with the configuration, writing nothing",
          "[rest][config]") {
  auto s = with_config(base);
  auto checked = check_patch_config(call("PATCH", R"({"ttl": 30})"), s);
  const auto& r = answer(checked);
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json");
  CHECK(json::parse(r.body) == json::value(base));
}

TEST_CASE("PATCH /config refuses bad input with Patroni's codes", "[rest][config]") {
  auto s = with_config(base);
  SECTION("no Content-Length: 411") {
    CHECK(answer(check_patch_config(call("PATCH", R"({"ttl": 40})", false), s)).status == 411);
  }
  SECTION("not JSON, not an object, or empty: 400") {
    for (const char* body : {"{ttl: 40", "[1, 2]", "\"x\"", "{}"})
      CHECK(answer(check_patch_config(call("PATCH", body), s)).status == 400);
  }
  SECTION("no configuration in the DCS: 503") {
    auto none = test::primary_snapshot();
    none.view->config.reset();
    CHECK(answer(check_patch_config(call("PATCH", R"({"ttl": 40})"), none)).status == 503);
  }
}

TEST_CASE("PATCH and PUT /config refuse what the daemons would not apply, with the reasons",
          "[rest][config]") {
  auto s = with_config(base);
  SECTION("a setting praetor does not carry out yet, named") {
    auto checked =
        check_patch_config(call("PATCH", R"({"postgresql": {"pg_ident": ["map a b"]}})"), s);
    const auto& r = answer(checked);
    CHECK(r.status == 400);
    INFO(r.body);
    CHECK(r.body.find("Invalid configuration:\npostgresql.pg_ident: praetor does not carry") == 0);
  }
  SECTION("a permanent slot PostgreSQL would refuse, named") {
    auto checked = check_patch_config(
        call("PATCH", R"({"slots": {"cdc": {"type": "logical", "plugin": "pgoutput"}}})"), s);
    const auto& r = answer(checked);
    CHECK(r.status == 400);
    CHECK(r.body.find("slots.cdc: a logical slot needs both database and plugin") !=
          std::string::npos);
  }
  SECTION("a wrong type") {
    auto checked = check_put_config(call("PUT", R"({"loop_wait": "soon"})"), s);
    const auto& r = answer(checked);
    CHECK(r.status == 400);
    CHECK(r.body.find("loop_wait") != std::string::npos);
  }
}

TEST_CASE("PATCH /config takes a timing that breaks loop_wait + 2*retry_timeout <= ttl, as Patroni",
          "[rest][config]") {
  // Patroni's acceptance suite: {"ttl": 20} with loop_wait 2 and retry_timeout 10 gets 200; the
  // daemons then use a shorter retry_timeout (config::enforce_timing_rule)
  auto s = with_config(base);
  auto checked = check_patch_config(call("PATCH", R"({"ttl": 20})"), s);
  const auto& c = change(checked);
  CHECK(c.config.at("ttl") == json::value(20));
  CHECK(c.config.at("retry_timeout") == json::value(10));  // stored as written
}

TEST_CASE("PUT /config replaces the configuration whatever its version", "[rest][config]") {
  auto s = with_config(base);
  SECTION("a new configuration is written unconditionally") {
    auto c = check_put_config(call("PUT", R"({"ttl": 20, "loop_wait": 5, "retry_timeout": 5})"), s);
    const auto& w = change(c);
    CHECK(w.expected.value == -1);
    CHECK(w.config == json::object{{"ttl", 20}, {"loop_wait", 5}, {"retry_timeout", 5}});
  }
  SECTION("the same configuration: 200, echoed, nothing written") {
    auto checked = check_put_config(call("PUT", json::serialize(base)), s);
    const auto& r = answer(checked);
    CHECK(r.status == 200);
    CHECK(json::parse(r.body) == json::value(base));
  }
  SECTION("no configuration yet: written (created)") {
    auto none = test::primary_snapshot();
    none.view->config.reset();
    CHECK(change(check_put_config(call("PUT", R"({"ttl": 30})"), none)).expected.value == -1);
  }
}

TEST_CASE("the answer after the DCS write", "[rest][config]") {
  change_config asked{json::object{{"ttl", 40}}, znode_version{4}};
  auto ok = config_change_answer(false, asked, {true, false, {}});
  CHECK(ok.status == 200);
  CHECK(json::parse(ok.body) == json::value(asked.config));
  CHECK(config_change_answer(false, asked, {false, true, "changed"}).status == 409);
  CHECK(config_change_answer(false, asked, {false, false, "connection loss"}).status == 503);
  CHECK(config_change_answer(true, asked, {false, false, "connection loss"}).status == 502);
  CHECK(config_change_answer(true, asked, {true, false, {}}).status == 200);
}

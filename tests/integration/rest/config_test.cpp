// PATCH and PUT /config end to end (rest_over_memory_dcs.hpp): the configuration written into
// the DCS by a real dcs_session, compare-and-set on the version in the snapshot.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/integration/rest/rest_over_memory_dcs.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using praetor::test::rest_over_memory_dcs;
namespace json = boost::json;

namespace {

constexpr const char* config_path = "/service/demo/config";

// Seeds the config znode and pushes a snapshot whose view holds it at its version.
void seed_config(rest_over_memory_dcs& t, const json::object& config) {
  t.call("PUT", "/config", json::serialize(config));
  auto node = t.store->peek(config_path);
  REQUIRE(node);
  auto s = rest::test::primary_snapshot();
  s.view->config = config;
  s.view->config_version = znode_version{node->stat.version};
  t.push(s);
}

json::object stored(rest_over_memory_dcs& t) {
  auto node = t.store->peek(config_path);
  REQUIRE(node);
  return json::parse(node->data).as_object();
}

const json::object base{{"ttl", 30}, {"loop_wait", 10}, {"retry_timeout", 10}};

}  // namespace

TEST_CASE("PUT then PATCH /config write the DCS", "[rest][config]") {
  rest_over_memory_dcs t;
  seed_config(t, base);
  CHECK(stored(t) == base);

  auto r = t.call("PATCH", "/config", R"({"loop_wait": 5, "maximum_lag_on_failover": 1048576})");
  INFO(r);
  REQUIRE(rest::test::status_of(r) == 200);
  auto answered = json::parse(rest::test::body_of(r)).as_object();
  CHECK(answered.at("loop_wait") == 5);
  CHECK(answered.at("maximum_lag_on_failover") == 1048576);
  CHECK(stored(t) == answered);
  // dcs_session reloaded the cluster after the write: the decider sees the new configuration.
  t.view_where([](const cluster_view& v) {
    return v.config && v.config->contains("maximum_lag_on_failover");
  });
}

TEST_CASE("PATCH /config from a stale view is a conflict, and writes nothing", "[rest][config]") {
  rest_over_memory_dcs t;
  seed_config(t, base);
  // Someone else changes the key; the snapshot still has the old version.
  auto other = t.store->open_session({});
  REQUIRE(t.store
              ->set(other, config_path,
                    R"({"ttl":30,"loop_wait":10,"retry_timeout":10,"pause":true})",
                    znode_version{-1})
              .ok());
  auto r = t.call("PATCH", "/config", R"({"loop_wait": 5})");
  CHECK(rest::test::status_of(r) == 409);
  CHECK(stored(t).at("loop_wait") == 10);
}

TEST_CASE("PATCH and PUT /config refuse a configuration the daemons would not apply",
          "[rest][config]") {
  rest_over_memory_dcs t;
  seed_config(t, base);
  auto paused = t.call("PATCH", "/config", R"({"pause": "sometimes"})");
  CHECK(rest::test::status_of(paused) == 400);
  CHECK(rest::test::body_of(paused).find("pause") != std::string::npos);
  auto r = t.call("PATCH", "/config", R"({"slots": {"S-1": {"type": "physical"}}})");
  CHECK(rest::test::status_of(r) == 400);
  CHECK(rest::test::body_of(r).find("slots.S-1") != std::string::npos);
  r = t.call("PUT", "/config", R"({"retry_timeout": -1})");
  CHECK(rest::test::status_of(r) == 400);
  CHECK(stored(t) == base);  // nothing written
}

TEST_CASE("PATCH and PUT /config need the configured credentials", "[rest][config]") {
  rest_over_memory_dcs t;
  CHECK(rest::test::status_of(t.call("PATCH", "/config", R"({"ttl": 40})", "")) == 401);
  CHECK(rest::test::status_of(t.call("PUT", "/config", R"({"ttl": 30})", "")) == 401);
  CHECK_FALSE(t.store->peek(config_path));
}

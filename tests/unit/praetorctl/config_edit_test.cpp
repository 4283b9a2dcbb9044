// edit-config's --set / --pg / --apply semantics, as patronictl 3.0.2's
// apply_config_changes and apply_yaml_file give them.
#include "apps/praetorctl/config_edit.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace praetor::ctl;
namespace json = boost::json;

namespace {
json::object base() {
  return json::
      parse(R"({"ttl":30,"loop_wait":10,"postgresql":{"parameters":{"max_connections":100},"use_pg_rewind":true}})")
          .as_object();
}
json::object applied(const json::object& config, std::vector<std::string> pairs) {
  auto r = apply_settings(config, pairs);
  INFO(r.error);
  REQUIRE(r.config);
  return *r.config;
}
}  // namespace

TEST_CASE("set values are read as YAML scalars and collections", "[praetorctl][edit]") {
  auto c = applied(base(), {"loop_wait=5", "synchronous_mode=on", "name='5'", "x=1.5",
                            "list=[a, 2]", "map={k: v}", "text=hello world"});
  CHECK(c.at("loop_wait") == 5);
  CHECK(c.at("synchronous_mode") == true);
  CHECK(c.at("name") == "5");
  CHECK(c.at("x") == 1.5);
  CHECK(c.at("list") == json::array{"a", 2});
  CHECK(c.at("map") == json::object{{"k", "v"}});
  CHECK(c.at("text") == "hello world");
}

TEST_CASE("dotted keys create objects and replace a non-object on the way", "[praetorctl][edit]") {
  auto c = applied(base(), {"standby_cluster.host=10.0.0.9", " ttl . x =1"});
  CHECK(c.at("standby_cluster") == json::object{{"host", "10.0.0.9"}});
  // patronictl strips the whole key path, not each part: " ttl . x " -> "ttl . x"
  CHECK(c.at("ttl ") == json::object{{" x", 1}});
  CHECK(c.at("ttl") == 30);
  auto replaced = applied(base(), {"ttl.x=1"});
  CHECK(replaced.at("ttl") == json::object{{"x", 1}});
}

TEST_CASE("null, ~ or nothing deletes, and empties the objects above", "[praetorctl][edit]") {
  auto c = applied(base(), {"loop_wait=null", "ttl=", "postgresql.parameters.max_connections=~"});
  CHECK_FALSE(c.contains("loop_wait"));
  CHECK_FALSE(c.contains("ttl"));
  CHECK(c.at("postgresql") == json::object{{"use_pg_rewind", true}});
  auto gone = applied(c, {"postgresql.use_pg_rewind=null"});
  CHECK_FALSE(gone.contains("postgresql"));
  // deleting what is not there changes nothing
  CHECK(applied(base(), {"nothing.here=null"}) == base());
}

TEST_CASE("pg names a parameter, dots included", "[praetorctl][edit]") {
  CHECK(pg_setting("  work_mem=8MB") == "postgresql.parameters.work_mem=8MB");
  auto c = applied(base(), {pg_setting("work_mem=8MB"), pg_setting("pg_stat_statements.max=500"),
                            "postgresql.parameters.auto_explain.log_min_duration=-1"});
  const auto& params = c.at("postgresql").at("parameters").as_object();
  CHECK(params.at("work_mem") == "8MB");
  CHECK(params.at("pg_stat_statements.max") == 500);
  CHECK(params.at("auto_explain.log_min_duration") == -1);
  CHECK(params.at("max_connections") == 100);
}

TEST_CASE("a pair without '=' is refused with patronictl's text", "[praetorctl][edit]") {
  CHECK(apply_settings(base(), {"ttl=40", "loop_wait"}).error ==
        "Invalid parameter setting loop_wait");
  CHECK(apply_settings(base(), {""}).error == "Invalid parameter setting ");
  CHECK_FALSE(apply_settings(base(), {"x=[unclosed"}).config);
}

TEST_CASE("apply merges a YAML document and replace starts from nothing", "[praetorctl][edit]") {
  auto merged = apply_document(base(),
                               "loop_wait: 5\npostgresql:\n  parameters:\n    work_mem: 8MB\n"
                               "ttl: null\n",
                               "f.yml");
  REQUIRE(merged.config);
  CHECK(merged.config->at("loop_wait") == 5);
  CHECK_FALSE(merged.config->contains("ttl"));
  CHECK(merged.config->at("postgresql").at("parameters") ==
        json::object{{"max_connections", 100}, {"work_mem", "8MB"}});
  auto replaced = apply_document({}, "ttl: 40\n", "f.yml");
  CHECK(*replaced.config == json::object{{"ttl", 40}});
  CHECK(apply_document(base(), "", "f.yml").config == base());
  CHECK(apply_document(base(), "- a\n", "f.yml").error == "f.yml does not hold a YAML mapping");
  CHECK(edited_document("", "e").config == json::object{});
}

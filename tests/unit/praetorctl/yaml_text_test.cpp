// to_yaml against PyYAML's safe_dump as patronictl calls it (the expected text is PyYAML's,
// apart from yaml-cpp's two-space indent of a list under its key), and its round trip.
#include "apps/praetorctl/yaml_text.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "config/yaml_json.hpp"

using namespace praetor::ctl;
namespace json = boost::json;

TEST_CASE("a dynamic configuration as patronictl shows it", "[praetorctl][yaml]") {
  auto config = json::parse(R"({
    "ttl": 30, "loop_wait": 10, "pause": null, "slots": {}, "ignore_slots": [],
    "check_timeline": true, "name": "it's", "t": "2023-01-01",
    "standby_cluster": {"host": "*"},
    "postgresql": {
      "parameters": {"max_connections": 100, "wal_level": "replica", "archive_command": "",
                     "x": "on", "y": "5432", "z": 1.5, "w": 1e20},
      "pg_hba": ["host all all 0.0.0.0/0 md5", "local all"]}})");
  const std::string text = to_yaml(config);
  CHECK(text ==
        "check_timeline: true\n"
        "ignore_slots: []\n"
        "loop_wait: 10\n"
        "name: it's\n"
        "pause: null\n"
        "postgresql:\n"
        "  parameters:\n"
        "    archive_command: ''\n"
        "    max_connections: 100\n"
        "    w: 1.0e+20\n"
        "    wal_level: replica\n"
        "    x: 'on'\n"
        "    y: '5432'\n"
        "    z: 1.5\n"
        "  pg_hba:\n"
        "    - host all all 0.0.0.0/0 md5\n"
        "    - local all\n"
        "slots: {}\n"
        "standby_cluster:\n"
        "  host: '*'\n"
        "t: '2023-01-01'\n"
        "ttl: 30\n");
  auto back = praetor::config::parse_yaml(text, "t");
  REQUIRE(back.value);
  CHECK(*back.value == config);
  CHECK(to_yaml(json::object{}) == "{}\n");
}

TEST_CASE("strings are quoted only when YAML would read something else", "[praetorctl][yaml]") {
  for (const char* plain : {"replica", "host all all 0.0.0.0/0 md5", "it's", "a:b", "8MB"})
    CHECK_FALSE(needs_quotes(plain));
  for (const char* quoted : {"",
                             "on",
                             "No",
                             "~",
                             "null",
                             "12",
                             "0x1F",
                             "1.5",
                             ".inf",
                             "*",
                             "- x",
                             "a: b",
                             "a #b",
                             " x",
                             "x ",
                             "2023-01-01",
                             "2023-05-01 10:00:00+00:00",
                             "a\nb",
                             "'q'",
                             "@x"})
    CHECK(needs_quotes(quoted));
  // a line break forces yaml-cpp's double quotes; the value still comes back
  json::value odd = json::object{{"k", "a\nb"}, {"on", "'x'"}};
  CHECK(*praetor::config::parse_yaml(to_yaml(odd), "t").value == odd);
}

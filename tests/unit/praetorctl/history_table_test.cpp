// The history table: patronictl's columns, padding of short entries, and each format as
// patronictl 3.0.2 prints it (pretty and tsv byte for byte, json and yaml by value).
#include "apps/praetorctl/history_table.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "config/yaml_json.hpp"

using namespace praetor::ctl;
namespace json = boost::json;

namespace {
json::array sample() {
  return json::parse(R"([[1,25165984,"no recovery target specified",)"
                     R"("2023-05-01T10:00:00.123456+00:00","node2"],[2,33554592,"x"]])")
      .as_array();
}
}  // namespace

TEST_CASE("history rows are padded to five columns", "[praetorctl][history]") {
  auto rows = history_rows(sample());
  REQUIRE(rows.size() == 2);
  CHECK(rows[1] == json::array{2, 33554592, "x", "", ""});
  auto cut = history_rows(json::parse(R"([[1,2,"a","b","c","extra"], "garbage"])").as_array());
  CHECK(cut == json::array{json::array{1, 2, "a", "b", "c"}});
}

TEST_CASE("history as patronictl's pretty table", "[praetorctl][history]") {
  CHECK(render_history(sample(), "pretty") ==
        "+----+----------+------------------------------+----------------------------------+-------"
        "-----+\n"
        "| TL |      LSN | Reason                       | Timestamp                        | New "
        "Leader |\n"
        "+----+----------+------------------------------+----------------------------------+-------"
        "-----+\n"
        "|  1 | 25165984 | no recovery target specified | 2023-05-01T10:00:00.123456+00:00 | node2 "
        "     |\n"
        "|  2 | 33554592 | x                            |                                  |       "
        "     |\n"
        "+----+----------+------------------------------+----------------------------------+-------"
        "-----+\n");
  CHECK(render_history({}, "pretty") ==
        "+----+-----+--------+-----------+------------+\n"
        "| TL | LSN | Reason | Timestamp | New Leader |\n"
        "+----+-----+--------+-----------+------------+\n"
        "+----+-----+--------+-----------+------------+\n");
}

TEST_CASE("history as tsv, json and yaml", "[praetorctl][history]") {
  CHECK(render_history(sample(), "tsv") ==
        "TL\tLSN\tReason\tTimestamp\tNew Leader\n"
        "1\t25165984\tno recovery target specified\t2023-05-01T10:00:00.123456+00:00\tnode2\n"
        "2\t33554592\tx\t\t\n");
  auto expected =
      json::parse(R"([{"TL":1,"LSN":25165984,"Reason":"no recovery target specified",)"
                  R"("Timestamp":"2023-05-01T10:00:00.123456+00:00","New Leader":"node2"},)"
                  R"({"TL":2,"LSN":33554592,"Reason":"x","Timestamp":"","New Leader":""}])");
  CHECK(json::parse(render_history(sample(), "json")) == expected);
  // PyYAML's text, apart from nothing: keys sorted, '' and the timestamp quoted
  CHECK(render_history(sample(), "yaml") ==
        "- LSN: 25165984\n"
        "  New Leader: node2\n"
        "  Reason: no recovery target specified\n"
        "  TL: 1\n"
        "  Timestamp: '2023-05-01T10:00:00.123456+00:00'\n"
        "- LSN: 33554592\n"
        "  New Leader: ''\n"
        "  Reason: x\n"
        "  TL: 2\n"
        "  Timestamp: ''\n\n");
  CHECK(*praetor::config::parse_yaml(render_history(sample(), "yaml"), "t").value == expected);
}

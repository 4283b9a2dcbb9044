// praetorctl version's lines, as patronictl prints them.
#include <catch2/catch.hpp>

#include "apps/praetorctl/version_command.hpp"

using namespace praetor::ctl;

TEST_CASE("server_version_num is printed as PostgreSQL numbers its releases",
          "[praetorctl][version]") {
  CHECK(format_pg_version(150005) == "15.5");
  CHECK(format_pg_version(100023) == "10.23");
  CHECK(format_pg_version(90624) == "9.6.24");
}

TEST_CASE("a member's line comes from its GET /patroni answer", "[praetorctl][version]") {
  CHECK(member_version_line("node1",
                            R"({"server_version": 150005, "patroni": {"version": "3.0.2"}})") ==
        "node1: Patroni 3.0.2 PostgreSQL 15.5");
  CHECK(member_version_line("node1", R"({"patroni": {"version": "3.0.2"}})") ==
        "node1: Patroni 3.0.2");
  CHECK(member_version_line("node1", "{}") == "node1: Patroni None");
  CHECK_THAT(member_version_line("node1", "<html>"),
             Catch::StartsWith("node1: failed to get version: "));
  CHECK_THAT(tool_version_line(), Catch::StartsWith("praetorctl version "));
}

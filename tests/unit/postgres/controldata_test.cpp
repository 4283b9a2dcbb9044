#include <catch2/catch.hpp>

#include "backends/postgres/controldata.hpp"

using namespace praetor;

// Captured from PostgreSQL 15's pg_controldata (LANG=C), shortened.
static const char* captured = R"(pg_control version number:            1300
Catalog version number:               202209061
Database system identifier:           7305842375927411234
Database cluster state:               shut down in recovery
pg_control last modified:             Wed 27 Nov 2024 09:10:11 AM UTC
Latest checkpoint location:           0/3000060
Latest checkpoint's REDO location:    0/3000028
Latest checkpoint's REDO WAL file:    000000020000000000000003
Latest checkpoint's TimeLineID:       2
Latest checkpoint's PrevTimeLineID:   2
Minimum recovery ending location:     0/3000110
Min recovery ending loc's timeline:   2
wal_level setting:                    replica
Data page checksum version:           0
)";

TEST_CASE("pg_controldata output is parsed", "[postgres][controldata]") {
  auto c = pg::parse_controldata(captured);
  CHECK(c.sysid == "7305842375927411234");
  CHECK(c.cluster_state == "shut down in recovery");
  CHECK(c.tl.value == 2);
  CHECK(c.checkpoint == lsn::parse("0/3000060").value());
  CHECK(c.fields.at("Minimum recovery ending location") == "0/3000110");
  CHECK(c.fields.at("wal_level setting") == "replica");
}

TEST_CASE("garbage gives empty facts", "[postgres][controldata]") {
  auto c = pg::parse_controldata("pg_controldata: fatal: could not open file\n");
  CHECK(c.sysid.empty());
  CHECK(c.tl.value == 0);
}

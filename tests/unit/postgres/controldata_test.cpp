#include "backends/postgres/controldata.hpp"

#include <catch2/catch.hpp>

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

TEST_CASE("a start in recovery raises what the WAL was written with", "[postgres][controldata]") {
  auto c = pg::parse_controldata(std::string(captured) +
                                 "max_connections setting:              101\n"
                                 "max_worker_processes setting:         8\n"
                                 "max_wal_senders setting:              10\n"
                                 "max_prepared_xacts setting:           5\n"
                                 "max_locks_per_xact setting:           64\n");
  postgres_settings s;
  s.parameters["max_locks_per_transaction"] = 128;  // higher than the WAL's: kept
  auto raised = pg::raised_for_recovery(s, c);
  // defaults: max_connections 100, max_prepared_transactions 0
  CHECK(raised == std::map<std::string, std::int64_t>{{"max_connections", 101},
                                                      {"max_prepared_transactions", 5}});
  s.parameters["max_connections"] = 200;
  s.parameters["max_prepared_transactions"] = 5;
  CHECK(pg::raised_for_recovery(s, c).empty());
  CHECK(pg::raised_for_recovery(s, pg::parse_controldata(captured)).empty());  // no such lines
}

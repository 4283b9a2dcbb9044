// A standby cluster of praetor daemons replicating from another praetor cluster (each with its
// own ZooKeeper): its lock holder streams from the other primary as the standby leader, its
// other member follows it, and removing the standby_cluster section promotes it.
#include <catch2/catch.hpp>

#include "tests/integration/cluster/praetor_cluster.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {

std::optional<std::size_t> standby_leader_of(praetor_cluster& c) {
  for (std::size_t i = 0; i < c.nodes().size(); ++i)
    if (says(c.http_get(i, "/standby_leader"), "\"role\":\"standby_leader\"")) return i;
  return std::nullopt;
}

}  // namespace

TEST_CASE(
    "a standby cluster follows another cluster's primary and is promoted when the section "
    "goes",
    "[cluster][standby]") {
  praetor_cluster main_cluster(1);
  REQUIRE(main_cluster.start_all_and_wait(120s));
  REQUIRE(
      main_cluster.query(0, "CREATE TABLE from_main (v int); INSERT INTO from_main VALUES (1)"));

  praetor_cluster standby(2);
  standby.add_dcs_items("standby_cluster: {host: 127.0.0.1, port: " +
                        std::to_string(main_cluster.nodes()[0].pg_port) + "}");
  REQUIRE(standby.start_node(0));
  REQUIRE(standby.start_node(1));
  std::optional<std::size_t> leader;
  bool following = eventually(120s, [&] {
    leader = standby_leader_of(standby);
    return leader && standby.streaming_count(*leader) == "1" &&
           standby.in_recovery(*leader) == std::optional<bool>(true);
  });
  INFO("standby node logs:\n" << standby.log_of(0) << "\n---\n" << standby.log_of(1));
  REQUIRE(following);
  const auto other = standby.others_than(*leader).front();
  // the main cluster's primary streams to the standby leader; GET /primary is not for it
  CHECK(main_cluster.streaming_count(0) == "1");
  CHECK(standby.http_get(*leader, "/primary").first == 503);
  CHECK(standby.callbacks_of(*leader).find("on_role_change standby_leader it") !=
        std::string::npos);

  // Writes on the main primary reach both members of the standby cluster.
  REQUIRE(main_cluster.query(0, "INSERT INTO from_main VALUES (2)"));
  for (auto i : {*leader, other})
    CHECK(eventually(30s, [&] {
      return first_value(standby.query(i, "SELECT count(*) FROM from_main")) == "2";
    }));

  // Without the section the standby leader is a primary, and the other member follows it.
  auto patched = standby.http_call(*leader, "PATCH", "/config", R"({"standby_cluster": null})");
  REQUIRE(patched.first == 200);
  bool promoted = eventually(60s, [&] {
    return standby.in_recovery(*leader) == std::optional<bool>(false) &&
           standby.streaming_count(*leader) == "1";
  });
  INFO("standby leader's log:\n" << standby.log_of(*leader));
  REQUIRE(promoted);
  REQUIRE(standby.query(*leader, "INSERT INTO from_main VALUES (3)"));
  CHECK(eventually(30s, [&] {
    return first_value(standby.query(other, "SELECT count(*) FROM from_main")) == "3";
  }));
  // the main cluster is untouched
  CHECK(first_value(main_cluster.query(0, "SELECT count(*) FROM from_main")) == "2");
}

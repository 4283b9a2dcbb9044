// render_table, render_topology, render_tsv, render_json and render_yaml against what Debian's
// patronictl 3.0.2 prints for the same member records (ctl.output_members on a Cluster built from
// these znode values, and `patronictl list` against ZooKeeper): the columns that appear, Host
// with or without the port, lag rounding, tags as YAML, and the service lines under the table.
#include "apps/praetorctl/cluster_table.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace praetor;
using namespace praetor::ctl;
namespace json = boost::json;

namespace {

// A view of member znode values ({name: record}), as the DCS would give it.
cluster_view view_of(const std::string& leader, std::uint64_t optime, const std::string& members) {
  cluster_view v;
  if (!leader.empty()) v.leader = leader_lock{leader, 1};
  v.optime = lsn{optime};
  v.initialize = "7212345678901234567";
  v.config = json::object{{"ttl", 30}};
  auto records = json::parse(members);
  for (const auto& [name, record] : records.as_object())
    v.members.push_back(member_from_znode(std::string(name), json::serialize(record)));
  return v;
}

// node1 leads at 48 MB; node2 is 2 MB behind (2.33 MB); node3 is stopped, its position
// unknown. `node2` and `node3` are added to their records.
cluster_view three_members(const std::string& node2 = "", const std::string& node3 = "") {
  return view_of("node1", 50331744,
                 R"({"node1": {"conn_url": "postgres://10.0.0.1:5432/postgres", "state": "running",
                               "role": "master", "xlog_location": 50331744, "timeline": 1},
                     "node2": {"conn_url": "postgres://10.0.0.2:5432/postgres", "state": "running",
                               "role": "replica", "xlog_location": 48000000, "timeline": 1)" +
                     node2 + R"(},
                     "node3": {"conn_url": "postgres://10.0.0.3:5432/postgres", "state": "stopped",
                               "role": "replica", "timeline": 1)" +
                     node3 + "}}");
}

const std::string tags = R"(, "tags": {"nofailover": true, "replicatefrom": "node3"})";
const std::string restart_if_older =
    R"(, "scheduled_restart": {"schedule": "2030-01-01T10:00:00+00:00", "postgres_version": "15.2"})";

}  // namespace

TEST_CASE("list: the fixed columns under the cluster's name", "[praetorctl][cluster_table]") {
  CHECK(render_table("demo", three_members()) ==
        R"(+ Cluster: demo ----+---------+---------+----+-----------+
| Member | Host     | Role    | State   | TL | Lag in MB |
+--------+----------+---------+---------+----+-----------+
| node1  | 10.0.0.1 | Leader  | running |  1 |           |
| node2  | 10.0.0.2 | Replica | running |  1 |         2 |
| node3  | 10.0.0.3 | Replica | stopped |  1 |   unknown |
+--------+----------+---------+---------+----+-----------+
)");
}

TEST_CASE("list: under quorum commit the sync key's members are Quorum Standbys",
          "[praetorctl][cluster_table][sync]") {
  // Patroni 4's name; its quorum field does not change the table.
  auto v = three_members();
  v.sync = sync_key{"node1", {"node2"}, znode_version{1}, 0};
  (*v.config)["synchronous_mode"] = "quorum";
  CHECK(render_tsv("demo", v) ==
        "Cluster\tMember\tHost\tRole\tState\tTL\tLag in MB\n"
        "demo\tnode1\t10.0.0.1\tLeader\trunning\t1\t\n"
        "demo\tnode2\t10.0.0.2\tQuorum Standby\trunning\t1\t2\n"
        "demo\tnode3\t10.0.0.3\tReplica\tstopped\t1\tunknown\n");
}

TEST_CASE("list and topology: a member the sync key names is a Sync Standby",
          "[praetorctl][cluster_table][sync]") {
  // Debian's patronictl 3.0.2 (ctl.output_members) on these records with the sync key
  // {"leader": "node1", "sync_standby": "node2"}, synchronous_mode on or off alike.
  auto v = three_members();
  v.sync = sync_key{"node1", {"node2"}, znode_version{1}};
  const std::string table = R"(+ Cluster: demo ----+--------------+---------+----+-----------+
| Member | Host     | Role         | State   | TL | Lag in MB |
+--------+----------+--------------+---------+----+-----------+
| node1  | 10.0.0.1 | Leader       | running |  1 |           |
| node2  | 10.0.0.2 | Sync Standby | running |  1 |         2 |
| node3  | 10.0.0.3 | Replica      | stopped |  1 |   unknown |
+--------+----------+--------------+---------+----+-----------+
)";
  CHECK(render_table("demo", v) == table);
  (*v.config)["synchronous_mode"] = true;
  CHECK(render_table("demo", v) == table);
  CHECK(render_topology("demo", v) ==
        R"(+ Cluster: demo -----+--------------+---------+----+-----------+
| Member  | Host     | Role         | State   | TL | Lag in MB |
+---------+----------+--------------+---------+----+-----------+
| node1   | 10.0.0.1 | Leader       | running |  1 |           |
| + node2 | 10.0.0.2 | Sync Standby | running |  1 |         2 |
| + node3 | 10.0.0.3 | Replica      | stopped |  1 |   unknown |
+---------+----------+--------------+---------+----+-----------+
)");
  CHECK(render_tsv("demo", v) ==
        "Cluster\tMember\tHost\tRole\tState\tTL\tLag in MB\n"
        "demo\tnode1\t10.0.0.1\tLeader\trunning\t1\t\n"
        "demo\tnode2\t10.0.0.2\tSync Standby\trunning\t1\t2\n"
        "demo\tnode3\t10.0.0.3\tReplica\tstopped\t1\tunknown\n");
  CHECK(
      render_json("demo", v) ==
      R"([{"Cluster": "demo", "Member": "node1", "Host": "10.0.0.1", "Role": "Leader", "State": "running", "TL": 1}, {"Cluster": "demo", "Member": "node2", "Host": "10.0.0.2", "Role": "Sync Standby", "State": "running", "TL": 1, "Lag in MB": 2}, {"Cluster": "demo", "Member": "node3", "Host": "10.0.0.3", "Role": "Replica", "State": "stopped", "TL": 1, "Lag in MB": "unknown"}]
)");

  SECTION("the leader stays Leader; names compare exactly") {
    v.sync.members = {"node1", "NODE2", "node3"};
    auto rows = member_rows(v);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].role == "Leader");
    CHECK(rows[1].role == "Replica");
    CHECK(rows[2].role == "Sync Standby");
  }
  SECTION("an empty sync key: everyone else is a Replica") {
    v.sync = sync_key{};
    auto rows = member_rows(v);
    CHECK(rows[1].role == "Replica");
    CHECK(rows[2].role == "Replica");
  }
}

TEST_CASE("list: a pending restart adds its column", "[praetorctl][cluster_table]") {
  CHECK(render_table("demo", three_members(R"(, "pending_restart": true)")) ==
        R"(+ Cluster: demo ----+---------+---------+----+-----------+-----------------+
| Member | Host     | Role    | State   | TL | Lag in MB | Pending restart |
+--------+----------+---------+---------+----+-----------+-----------------+
| node1  | 10.0.0.1 | Leader  | running |  1 |           |                 |
| node2  | 10.0.0.2 | Replica | running |  1 |         2 | *               |
| node3  | 10.0.0.3 | Replica | stopped |  1 |   unknown |                 |
+--------+----------+---------+---------+----+-----------+-----------------+
)");
}

TEST_CASE("list: a scheduled restart shows its time and the version it waits for",
          "[praetorctl][cluster_table]") {
  CHECK(
      render_table("demo", three_members("", restart_if_older)) ==
      R"(+ Cluster: demo ----+---------+---------+----+-----------+---------------------------------------------+
| Member | Host     | Role    | State   | TL | Lag in MB | Scheduled restart                           |
+--------+----------+---------+---------+----+-----------+---------------------------------------------+
| node1  | 10.0.0.1 | Leader  | running |  1 |           |                                             |
| node2  | 10.0.0.2 | Replica | running |  1 |         2 |                                             |
| node3  | 10.0.0.3 | Replica | stopped |  1 |   unknown | 2030-01-01T10:00:00+00:00 if version < 15.2 |
+--------+----------+---------+---------+----+-----------+---------------------------------------------+
)");
}

TEST_CASE("list: tags are YAML, a cell of several lines rules off every row",
          "[praetorctl][cluster_table]") {
  CHECK(render_table("demo", three_members(tags)) ==
        R"(+ Cluster: demo ----+---------+---------+----+-----------+----------------------+
| Member | Host     | Role    | State   | TL | Lag in MB | Tags                 |
+--------+----------+---------+---------+----+-----------+----------------------+
| node1  | 10.0.0.1 | Leader  | running |  1 |           |                      |
+--------+----------+---------+---------+----+-----------+----------------------+
| node2  | 10.0.0.2 | Replica | running |  1 |         2 | nofailover: true     |
|        |          |         |         |    |           | replicatefrom: node3 |
+--------+----------+---------+---------+----+-----------+----------------------+
| node3  | 10.0.0.3 | Replica | stopped |  1 |   unknown |                      |
+--------+----------+---------+---------+----+-----------+----------------------+
)");
}

TEST_CASE("list -e: the optional columns even when empty", "[praetorctl][cluster_table]") {
  CHECK(
      render_table("demo", three_members(), true) ==
      R"(+ Cluster: demo ----+---------+---------+----+-----------+-----------------+-------------------+------+
| Member | Host     | Role    | State   | TL | Lag in MB | Pending restart | Scheduled restart | Tags |
+--------+----------+---------+---------+----+-----------+-----------------+-------------------+------+
| node1  | 10.0.0.1 | Leader  | running |  1 |           |                 |                   |      |
| node2  | 10.0.0.2 | Replica | running |  1 |         2 |                 |                   |      |
| node3  | 10.0.0.3 | Replica | stopped |  1 |   unknown |                 |                   |      |
+--------+----------+---------+---------+----+-----------+-----------------+-------------------+------+
)");
}

TEST_CASE("list: maintenance mode is said under the table", "[praetorctl][cluster_table]") {
  auto v = three_members();
  (*v.config)["pause"] = true;
  CHECK(render_table("demo", v) == R"(+ Cluster: demo ----+---------+---------+----+-----------+
| Member | Host     | Role    | State   | TL | Lag in MB |
+--------+----------+---------+---------+----+-----------+
| node1  | 10.0.0.1 | Leader  | running |  1 |           |
| node2  | 10.0.0.2 | Replica | running |  1 |         2 |
| node3  | 10.0.0.3 | Replica | stopped |  1 |   unknown |
+--------+----------+---------+---------+----+-----------+
 Maintenance mode: on
)");
}

TEST_CASE("list: a scheduled switchover is said under the table, its time as Python writes it",
          "[praetorctl][cluster_table]") {
  auto v = three_members();
  v.failover = failover_request{"node1", "node2", "2030-01-14T10:09:57.1394+02:00", {}};
  CHECK(render_table("demo", v) == R"(+ Cluster: demo ----+---------+---------+----+-----------+
| Member | Host     | Role    | State   | TL | Lag in MB |
+--------+----------+---------+---------+----+-----------+
| node1  | 10.0.0.1 | Leader  | running |  1 |           |
| node2  | 10.0.0.2 | Replica | running |  1 |         2 |
| node3  | 10.0.0.3 | Replica | stopped |  1 |   unknown |
+--------+----------+---------+---------+----+-----------+
 Switchover scheduled at: 2030-01-14T10:09:57.139400+02:00
                    from: node1
                      to: node2
)");
  v.failover = failover_request{"", "node2", "2030-01-14 10:09:57Z", {}};
  CHECK(service_lines(v) ==
        " Switchover scheduled at: 2030-01-14T10:09:57+00:00\n"
        "                      to: node2\n");
  v.failover->scheduled_at = "2030-01-14T10:09:57.000-00:00";
  CHECK(service_lines(v) ==
        " Switchover scheduled at: 2030-01-14T10:09:57+00:00\n"
        "                      to: node2\n");
  v.failover->scheduled_at = "2030-01-14T10:09+0530";
  CHECK(service_lines(v) ==
        " Switchover scheduled at: 2030-01-14T10:09:00+05:30\n"
        "                      to: node2\n");
  v.failover->scheduled_at = "";  // a plain switchover request
  CHECK(service_lines(v).empty());
}

TEST_CASE("list: host:port when a port is not 5432 or a host is shared, Python's rounding",
          "[praetorctl][cluster_table]") {
  // node2 and node3 share a host (node2 on the default port); node4 has no conn_url, so its
  // pending restart does not count; 2.5 MB and 1.5 MB both round to 2; a standby cluster's
  // leader is a Standby Leader
  auto v = view_of("node1", 10485760,
                   R"({"node1": {"conn_url": "postgres://DB1.example:5433/postgres",
                                 "state": "running", "role": "standby_leader",
                                 "xlog_location": 10485760, "timeline": 3},
                       "node2": {"conn_url": "postgres://127.0.0.2/postgres", "state": "streaming",
                                 "role": "replica", "xlog_location": 7864320},
                       "node3": {"conn_url": "postgres://127.0.0.2:5432/postgres",
                                 "state": "running", "role": "replica", "timeline": 3,
                                 "xlog_location": 8912896},
                       "node4": {"state": "running", "role": "replica", "timeline": 1,
                                 "xlog_location": 20000000, "pending_restart": true}})");
  (*v.config)["standby_cluster"] = json::object{{"host", "10.0.0.9"}, {"port", 5433}};
  CHECK(render_table("demo", v) ==
        R"(+ Cluster: demo ------------+----------------+-----------+----+-----------+
| Member | Host             | Role           | State     | TL | Lag in MB |
+--------+------------------+----------------+-----------+----+-----------+
| node1  | db1.example:5433 | Standby Leader | running   |  3 |           |
| node2  | 127.0.0.2:5432   | Replica        | streaming |    |         2 |
| node3  | 127.0.0.2:5432   | Replica        | running   |  3 |         2 |
| node4  |                  | Replica        | running   |  1 |         0 |
+--------+------------------+----------------+-----------+----+-----------+
)");
  CHECK(
      render_json("demo", v) ==
      R"([{"Cluster": "demo", "Member": "node1", "Host": "db1.example:5433", "Role": "Standby Leader", "State": "running", "TL": 3}, {"Cluster": "demo", "Member": "node2", "Host": "127.0.0.2:5432", "Role": "Replica", "State": "streaming", "Lag in MB": 2}, {"Cluster": "demo", "Member": "node3", "Host": "127.0.0.2:5432", "Role": "Replica", "State": "running", "TL": 3, "Lag in MB": 2}, {"Cluster": "demo", "Member": "node4", "Role": "Replica", "State": "running", "TL": 1, "Lag in MB": 0}]
)");
}

TEST_CASE("list -f tsv, json and yaml: the Cluster column, empty cells left out",
          "[praetorctl][cluster_table]") {
  auto v = three_members(tags);
  CHECK(render_tsv("demo", v) ==
        "Cluster\tMember\tHost\tRole\tState\tTL\tLag in MB\tTags\n"
        "demo\tnode1\t10.0.0.1\tLeader\trunning\t1\t\t\n"
        "demo\tnode2\t10.0.0.2\tReplica\trunning\t1\t2\t{nofailover: true, replicatefrom: node3}\n"
        "demo\tnode3\t10.0.0.3\tReplica\tstopped\t1\tunknown\t\n");
  CHECK(
      render_json("demo", v) ==
      R"([{"Cluster": "demo", "Member": "node1", "Host": "10.0.0.1", "Role": "Leader", "State": "running", "TL": 1}, {"Cluster": "demo", "Member": "node2", "Host": "10.0.0.2", "Role": "Replica", "State": "running", "TL": 1, "Lag in MB": 2, "Tags": {"nofailover": true, "replicatefrom": "node3"}}, {"Cluster": "demo", "Member": "node3", "Host": "10.0.0.3", "Role": "Replica", "State": "stopped", "TL": 1, "Lag in MB": "unknown"}]
)");
  // safe_dump's keys in order, and click.echo's newline after its text
  CHECK(render_yaml("demo", v) == R"(- Cluster: demo
  Host: 10.0.0.1
  Member: node1
  Role: Leader
  State: running
  TL: 1
- Cluster: demo
  Host: 10.0.0.2
  Lag in MB: 2
  Member: node2
  Role: Replica
  State: running
  TL: 1
  Tags:
    nofailover: true
    replicatefrom: node3
- Cluster: demo
  Host: 10.0.0.3
  Lag in MB: unknown
  Member: node3
  Role: Replica
  State: stopped
  TL: 1

)");
  // -e adds no empty cells to them
  auto scheduled = three_members("", restart_if_older);
  CHECK(
      render_json("demo", scheduled, true) ==
      R"([{"Cluster": "demo", "Member": "node1", "Host": "10.0.0.1", "Role": "Leader", "State": "running", "TL": 1}, {"Cluster": "demo", "Member": "node2", "Host": "10.0.0.2", "Role": "Replica", "State": "running", "TL": 1, "Lag in MB": 2}, {"Cluster": "demo", "Member": "node3", "Host": "10.0.0.3", "Role": "Replica", "State": "stopped", "TL": 1, "Lag in MB": "unknown", "Scheduled restart": "2030-01-01T10:00:00+00:00 if version < 15.2"}]
)");
  CHECK(render_yaml("demo", scheduled, true) == R"(- Cluster: demo
  Host: 10.0.0.1
  Member: node1
  Role: Leader
  State: running
  TL: 1
- Cluster: demo
  Host: 10.0.0.2
  Lag in MB: 2
  Member: node2
  Role: Replica
  State: running
  TL: 1
- Cluster: demo
  Host: 10.0.0.3
  Lag in MB: unknown
  Member: node3
  Role: Replica
  Scheduled restart: 2030-01-01T10:00:00+00:00 if version < 15.2
  State: stopped
  TL: 1

)");
}

TEST_CASE("list and topology with everything at once, as `patronictl list` printed it",
          "[praetorctl][cluster_table]") {
  // the records written to ZooKeeper for a run of Debian's patronictl
  auto v =
      view_of("node1", 50331744,
              R"({"node1": {"conn_url": "postgres://127.0.0.1:5432/postgres", "state": "running",
                    "role": "master", "xlog_location": 50331744, "timeline": 1},
          "node2": {"conn_url": "postgres://127.0.0.2:5432/postgres", "state": "running",
                    "role": "replica", "xlog_location": 48000000, "timeline": 1,
                    "pending_restart": true,
                    "tags": {"nofailover": true, "replicatefrom": "node3", "zz": "a,b"}},
          "node3": {"conn_url": "postgres://127.0.0.3:5432/postgres", "state": "stopped",
                    "role": "replica", "timeline": 1,
                    "scheduled_restart": {"schedule": "2030-01-01T10:00:00+00:00",
                                          "postgres_version": "15.2",
                                          "postmaster_start_time": "x"}},
          "node4": {"conn_url": "postgres://127.0.0.4:5432/postgres", "state": "running",
                    "role": "replica", "timeline": 1, "xlog_location": 49283072,
                    "scheduled_restart": {"schedule": "2030-01-01T11:00:00+00:00"},
                    "tags": {"clonefrom": true, "\u00e9": "\u00fc"}}})");
  (*v.config)["pause"] = true;
  v.failover = failover_request{"node1", "node2", "2030-01-14T10:09:57.1394+02:00", {}};
  CHECK(
      render_table("demo", v) ==
      R"(+ Cluster: demo -----+---------+---------+----+-----------+-----------------+---------------------------------------------+----------------------+
| Member | Host      | Role    | State   | TL | Lag in MB | Pending restart | Scheduled restart                           | Tags                 |
+--------+-----------+---------+---------+----+-----------+-----------------+---------------------------------------------+----------------------+
| node1  | 127.0.0.1 | Leader  | running |  1 |           |                 |                                             |                      |
+--------+-----------+---------+---------+----+-----------+-----------------+---------------------------------------------+----------------------+
| node2  | 127.0.0.2 | Replica | running |  1 |         2 | *               |                                             | nofailover: true     |
|        |           |         |         |    |           |                 |                                             | replicatefrom: node3 |
|        |           |         |         |    |           |                 |                                             | zz: a,b              |
+--------+-----------+---------+---------+----+-----------+-----------------+---------------------------------------------+----------------------+
| node3  | 127.0.0.3 | Replica | stopped |  1 |   unknown |                 | 2030-01-01T10:00:00+00:00 if version < 15.2 |                      |
+--------+-----------+---------+---------+----+-----------+-----------------+---------------------------------------------+----------------------+
| node4  | 127.0.0.4 | Replica | running |  1 |         1 |                 | 2030-01-01T11:00:00+00:00                   | clonefrom: true      |
|        |           |         |         |    |           |                 |                                             | é: ü                 |
+--------+-----------+---------+---------+----+-----------+-----------------+---------------------------------------------+----------------------+
 Maintenance mode: on
 Switchover scheduled at: 2030-01-14T10:09:57.139400+02:00
                    from: node1
                      to: node2
)");
  CHECK(
      render_topology("demo", v) ==
      R"(+ Cluster: demo --------+---------+---------+----+-----------+-----------------+---------------------------------------------+-----------------------------------------------------+
| Member    | Host      | Role    | State   | TL | Lag in MB | Pending restart | Scheduled restart                           | Tags                                                |
+-----------+-----------+---------+---------+----+-----------+-----------------+---------------------------------------------+-----------------------------------------------------+
| node1     | 127.0.0.1 | Leader  | running |  1 |           |                 |                                             |                                                     |
| + node3   | 127.0.0.3 | Replica | stopped |  1 |   unknown |                 | 2030-01-01T10:00:00+00:00 if version < 15.2 |                                                     |
|   + node2 | 127.0.0.2 | Replica | running |  1 |         2 | *               |                                             | {nofailover: true, replicatefrom: node3, zz: 'a,b'} |
| + node4   | 127.0.0.4 | Replica | running |  1 |         1 |                 | 2030-01-01T11:00:00+00:00                   | {clonefrom: true, é: ü}                             |
+-----------+-----------+---------+---------+----+-----------+-----------------+---------------------------------------------+-----------------------------------------------------+
 Maintenance mode: on
 Switchover scheduled at: 2030-01-14T10:09:57.139400+02:00
                    from: node1
                      to: node2
)");
  CHECK(
      render_json("demo", v) ==
      R"([{"Cluster": "demo", "Member": "node1", "Host": "127.0.0.1", "Role": "Leader", "State": "running", "TL": 1}, {"Cluster": "demo", "Member": "node2", "Host": "127.0.0.2", "Role": "Replica", "State": "running", "TL": 1, "Lag in MB": 2, "Pending restart": "*", "Tags": {"nofailover": true, "replicatefrom": "node3", "zz": "a,b"}}, {"Cluster": "demo", "Member": "node3", "Host": "127.0.0.3", "Role": "Replica", "State": "stopped", "TL": 1, "Lag in MB": "unknown", "Scheduled restart": "2030-01-01T10:00:00+00:00 if version < 15.2"}, {"Cluster": "demo", "Member": "node4", "Host": "127.0.0.4", "Role": "Replica", "State": "running", "TL": 1, "Lag in MB": 1, "Scheduled restart": "2030-01-01T11:00:00+00:00", "Tags": {"clonefrom": true, "\u00e9": "\u00fc"}}]
)");
  CHECK(render_yaml("demo", v) == R"(- Cluster: demo
  Host: 127.0.0.1
  Member: node1
  Role: Leader
  State: running
  TL: 1
- Cluster: demo
  Host: 127.0.0.2
  Lag in MB: 2
  Member: node2
  Pending restart: '*'
  Role: Replica
  State: running
  TL: 1
  Tags:
    nofailover: true
    replicatefrom: node3
    zz: a,b
- Cluster: demo
  Host: 127.0.0.3
  Lag in MB: unknown
  Member: node3
  Role: Replica
  Scheduled restart: 2030-01-01T10:00:00+00:00 if version < 15.2
  State: stopped
  TL: 1
- Cluster: demo
  Host: 127.0.0.4
  Lag in MB: 1
  Member: node4
  Role: Replica
  Scheduled restart: '2030-01-01T11:00:00+00:00'
  State: running
  TL: 1
  Tags:
    clonefrom: true
    é: ü

)");
}

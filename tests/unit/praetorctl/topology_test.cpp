// topology_rows and render_topology: patronictl's topology order and "+ name" indents (checked
// against ctl.py topology_sort), and the table around them.
#include <catch2/catch.hpp>

#include "apps/praetorctl/cluster_table.hpp"

using namespace praetor;
using namespace praetor::ctl;

namespace {

member_record member(std::string name, std::string replicatefrom = "") {
  member_record m;
  m.name = name;
  m.conn_url = "postgres://10.0.0.1:5432/postgres";
  m.state = "running";
  m.role = "replica";
  m.tl = timeline{1};
  m.xlog_location = lsn{100};
  if (!replicatefrom.empty()) m.tags["replicatefrom"] = replicatefrom;
  return m;
}

std::vector<std::string> names(const std::vector<member_row>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.member);
  return out;
}

}  // namespace

TEST_CASE("replicas hang under the member named by replicatefrom, else under the leader",
          "[praetorctl][topology]") {
  cluster_view v;
  v.members = {member("a"),      member("b"),       member("c", "a"), member("d", "c"),
               member("e", "e"), member("f", "zz"), member("i", "b")};
  v.leader = leader_lock{"b", 1};
  // patronictl: ['b', '+ a', '  + c', '    + d', '+ e', '+ f', '+ i']
  CHECK(names(topology_rows(v)) ==
        std::vector<std::string>{"b", "+ a", "  + c", "    + d", "+ e", "+ f", "+ i"});
}

TEST_CASE("without a leader the top replicas are indented too and cycles are not shown",
          "[praetorctl][topology]") {
  cluster_view v;
  v.members = {member("a"), member("c", "a"), member("g", "h"), member("h", "g")};
  CHECK(names(topology_rows(v)) == std::vector<std::string>{"+ a", "  + c"});
}

TEST_CASE("the topology table keeps every column of the row", "[praetorctl][topology]") {
  cluster_view v;
  v.initialize = "7212345678901234567";
  v.optime = lsn{100};
  v.members = {member("node1"), member("node2", "node3"), member("node3")};
  v.members[0].role = "master";
  v.leader = leader_lock{"node1", 1};
  // patronictl 3.0.2's output (ctl.output_members with fmt='topology'): tags in YAML's flow
  // style; the members share a host, so Host shows the port
  CHECK(
      render_topology("demo", v) ==
      R"(+ Cluster: demo ------------+---------+---------+----+-----------+------------------------+
| Member    | Host          | Role    | State   | TL | Lag in MB | Tags                   |
+-----------+---------------+---------+---------+----+-----------+------------------------+
| node1     | 10.0.0.1:5432 | Leader  | running |  1 |           |                        |
| + node3   | 10.0.0.1:5432 | Replica | running |  1 |         0 |                        |
|   + node2 | 10.0.0.1:5432 | Replica | running |  1 |         0 | {replicatefrom: node3} |
+-----------+---------------+---------+---------+----+-----------+------------------------+
)");
}

TEST_CASE("a long title is cut to the table's width", "[praetorctl][topology]") {
  cluster_view v;
  v.members = {member("n")};
  v.members[0].xlog_location.reset();
  // as patronictl prints it
  CHECK(render_table("a-rather-long-cluster-name", v) ==
        "+ Cluster: a-rather-long-cluster-name --+----+-----------+\n"
        "| Member | Host     | Role    | State   | TL | Lag in MB |\n"
        "+--------+----------+---------+---------+----+-----------+\n"
        "| n      | 10.0.0.1 | Replica | running |  1 |   unknown |\n"
        "+--------+----------+---------+---------+----+-----------+\n");
  CHECK(render_table("a-cluster-name-longer-than-the-whole-table-is-wide", v).substr(0, 59) ==
        "+ Cluster: a-cluster-name-longer-than-the-whole-table-is-+\n");
}

// Builders shared by the REST tests: snapshots of a running primary holding the lock, a
// streaming replica, and a member whose PostgreSQL is stopped, all in one two-member view;
// and the restapi settings of a test server.
#pragma once

#include <cstdint>
#include <string>

#include "messages/rest.hpp"
#include "messages/settings.hpp"

namespace praetor::rest::test {

inline constexpr std::int64_t now_ms = 1'714'558'830'123;  // 2024-05-01 10:20:30.123 UTC

// restapi on 127.0.0.1:`port` (0: any free port), plain HTTP, with basic authentication when
// a username is given.
inline rest_settings loopback_api(int port, std::string username = {}, std::string password = {}) {
  rest_settings s;
  s.listen_port = port;
  s.username = std::move(username);
  s.password = std::move(password);
  return s;
}

// A running member's record on timeline 2: PostgreSQL at `host`:`pg_port`, its API on `api_port`.
inline member_record running_member(std::string name, const std::string& host, int pg_port,
                                    int api_port, std::string role, std::uint64_t xlog) {
  member_record m;
  m.name = std::move(name);
  m.conn_url = "postgres://" + host + ":" + std::to_string(pg_port) + "/postgres";
  m.api_url = "http://" + host + ":" + std::to_string(api_port) + "/patroni";
  m.state = "running";
  m.role = std::move(role);
  m.xlog_location = lsn{xlog};
  m.tl = timeline{2};
  return m;
}

inline cluster_view two_member_view(std::uint64_t optime) {
  cluster_view v;
  v.initialize = "7360000000000000001";
  v.config = boost::json::object{{"ttl", 30}, {"loop_wait", 10}};
  v.leader = leader_lock{"node1", 42};
  auto a = running_member("node1", "127.0.0.1", 5432, 8008, "master", optime);
  auto b = running_member("node2", "127.0.0.2", 5433, 8009, "replica", optime - 100);
  b.tags = boost::json::object{{"zone", "b"}};
  v.members = {b, a};  // deliberately unsorted
  v.optime = lsn{optime};
  v.loaded_at_ms = now_ms - 1000;
  return v;
}

inline node_snapshot primary_snapshot() {
  node_snapshot s;
  s.scope = "demo";
  s.name = "node1";
  s.pg.state = "running";
  s.pg.role = pg_role::primary;
  s.pg.data_dir_empty = false;
  s.pg.sysid = "7360000000000000001";
  s.pg.tl = timeline{2};
  s.pg.wal_position = lsn{50331744};
  s.pg.postmaster_start_ms = 1'714'558'000'250;  // 2024-05-01 10:06:40.250 UTC
  s.pg.server_version = 150002;
  replication_row row;
  row.usename = "replicator";
  row.application_name = "node2";
  row.client_addr = "127.0.0.2";
  row.state = "streaming";
  row.sync_state = "async";
  s.pg.replication = {row};
  s.view = two_member_view(50331744);
  s.has_lock = true;
  s.dcs_last_seen_ms = now_ms - 1000;
  s.next_loop_ms = now_ms + 5000;
  return s;
}

inline node_snapshot replica_snapshot() {
  node_snapshot s;
  s.scope = "demo";
  s.name = "node2";
  s.tags = boost::json::object{{"zone", "b"}, {"weight", 5}, {"ssd", true}};
  s.pg.state = "running";
  s.pg.role = pg_role::replica;
  s.pg.data_dir_empty = false;
  s.pg.sysid = "7360000000000000001";
  s.pg.tl = timeline{2};
  s.pg.received_location = lsn{50331700};
  s.pg.replayed_location = lsn{50331644};
  s.pg.wal_position = lsn{50331700};
  s.pg.streaming = true;
  s.pg.postmaster_start_ms = 1'714'558'001'000;  // whole second
  s.pg.server_version = 150002;
  s.view = two_member_view(50331744);  // the leader is 100 bytes ahead of replayed
  s.has_lock = false;
  s.dcs_last_seen_ms = now_ms - 1000;
  s.next_loop_ms = now_ms + 5000;
  return s;
}

inline node_snapshot stopped_snapshot() {
  node_snapshot s = replica_snapshot();
  s.pg.state = "stopped";
  s.pg.role = pg_role::unknown;
  s.pg.postmaster_start_ms = 0;
  return s;
}

// two_member_view plus a running replica node3 (127.0.0.3:5432), in synchronous mode with the
// sync key {"leader": "node1", "sync_standby": "node2"}: node2 is the synchronous standby, node3
// an asynchronous one.
inline cluster_view sync_view(std::uint64_t optime) {
  cluster_view v = two_member_view(optime);
  v.members.push_back(running_member("node3", "127.0.0.3", 5432, 8010, "replica", optime - 200));
  (*v.config)["synchronous_mode"] = true;
  v.sync = sync_key{"node1", {"node2"}, znode_version{3}};
  return v;
}

// replica_snapshot as member `name` of sync_view.
inline node_snapshot sync_replica_snapshot(std::string name = "node2") {
  node_snapshot s = replica_snapshot();
  s.name = std::move(name);
  s.view = sync_view(50331744);
  return s;
}

// primary_snapshot in sync_view.
inline node_snapshot sync_primary_snapshot() {
  node_snapshot s = primary_snapshot();
  s.view = sync_view(50331744);
  return s;
}

}  // namespace praetor::rest::test

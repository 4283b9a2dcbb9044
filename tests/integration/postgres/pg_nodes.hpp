// Shared by the PostgreSQL integration tests: settings of a test node in a temporary folder,
// a supervisor plus fake decider per node, SQL against a node over its socket, and finding
// the postmaster (our child). Test-thread helpers; nothing here is shared between threads.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "actors/postgres_supervisor/postgres_supervisor.hpp"
#include "backends/postgres/connection.hpp"
#include "tests/integration/postgres/fake_decider.hpp"

namespace praetor::test {

// Node `name` under `dir` on `port`: superuser/replicator/rewinder with passwords, small
// shared_buffers, fsync off, loop_wait 1 s.
postgres_settings pg_node_settings(const std::string& dir, const std::string& name, int port);

struct node {
  std::shared_ptr<decider_inbox> inbox = std::make_shared<decider_inbox>();
  ha_decider_actor decider;
  postgres_supervisor_actor sup;
  postgres_settings settings;
  upstream_member as_upstream() const { return {settings.member_name, "127.0.0.1", settings.port}; }
};

node start_node(caf::actor_system& sys, const postgres_settings& s);

// Tells the actor to exit and waits for it (the supervisor stops its postmaster on exit).
template <class Handle>
void shutdown(caf::actor_system& sys, Handle h) {
  if (!h) return;
  caf::scoped_actor self{sys};
  self->send_exit(h, caf::exit_reason::user_shutdown);
  self->wait_for(h);
}

inline auto is_running_as(pg_role role) {
  return [role](const pg_status& s) { return s.state == "running" && s.role == role; };
}

// One statement (or several) as the superuser over the node's socket.
pg::query_result query(const postgres_settings& s, const std::string& sql);

// The first column of the first row, "" when there is none or the query failed.
std::string query_value(const postgres_settings& s, const std::string& sql);

// Polls query_value until it equals `expected` (or the timeout passes).
bool wait_value(const postgres_settings& s, const std::string& sql, const std::string& expected,
                std::chrono::milliseconds timeout);

// The pid of the process under `data_dir` whose parent is this test process: the postmaster.
int find_postmaster(const std::string& data_dir);

}  // namespace praetor::test

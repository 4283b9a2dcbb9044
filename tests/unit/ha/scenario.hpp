// Scenario builders for decide() tests: a three-member cluster "n1", "n2", "n3" seen from n1,
// with helpers to put the DCS and PostgreSQL in each state of the decision table.
#pragma once

#include <algorithm>
#include <string>

#include "messages/ha.hpp"

namespace praetor::test {

constexpr std::int64_t session_of_n1 = 0x1001;
constexpr std::int64_t t0 = 1'700'000'000'000;  // ms

inline member_record member(const std::string& name, int pg_port,
                            const std::string& role = "replica",
                            const std::string& state = "running") {
  member_record m;
  m.name = name;
  m.conn_url = "postgres://127.0.0.1:" + std::to_string(pg_port) + "/postgres";
  m.api_url = "http://127.0.0.1:" + std::to_string(pg_port + 1000) + "/patroni";
  m.role = role;
  m.state = state;
  return m;
}

inline ha_inputs fresh_node() {
  ha_inputs in;
  in.settings.name = "n1";
  in.settings.scope = "demo";
  in.settings.ttl = 30;
  in.settings.loop_wait = 10;
  in.settings.retry_timeout = 10;
  in.settings.conn_url = "postgres://127.0.0.1:5001/postgres";
  in.settings.api_url = "http://127.0.0.1:6001/patroni";
  in.settings.bootstrap_dcs = boost::json::object{{"ttl", 30}, {"loop_wait", 10}};
  in.session = {session_state::connected, session_of_n1, t0, ""};
  in.view = cluster_view{};
  in.view->loaded_at_ms = t0;
  in.now_ms = t0;
  in.pg.state = "stopped";
  in.pg.data_dir_empty = true;
  return in;
}

// n1 has data and PostgreSQL runs in `role`.
inline ha_inputs running_node(pg_role role) {
  auto in = fresh_node();
  in.pg.data_dir_empty = false;
  in.pg.state = "running";
  in.pg.role = role;
  in.pg.sysid = "7300000000000000001";
  in.pg.tl = timeline{1};
  in.pg.wal_position = lsn{0x3000060};
  in.view->initialize = in.pg.sysid;
  in.view->config = in.settings.bootstrap_dcs;  // the cluster's config key, as bootstrap wrote it
  return in;
}

inline void add_member(ha_inputs& in, member_record m) {
  in.view->members.push_back(std::move(m));
  std::sort(in.view->members.begin(), in.view->members.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
}

inline void set_leader(ha_inputs& in, const std::string& name, std::int64_t session) {
  in.view->leader = leader_lock{name, session};
}

// The record decide() would publish, marked as already published, so tests see only the
// commands of the branch under test.
inline void mark_published(ha_inputs& in, const member_record& rec) {
  in.memory.published_member = rec;
  in.memory.published_member_ms = in.now_ms;
}

template <class T>
inline const T* find_command(const decision& d) {
  for (const auto& c : d.commands)
    if (auto* p = std::get_if<T>(&c)) return p;
  return nullptr;
}

template <class T>
inline std::size_t count_commands(const decision& d) {
  return static_cast<std::size_t>(
      std::count_if(d.commands.begin(), d.commands.end(),
                    [](const auto& c) { return std::holds_alternative<T>(c); }));
}

}  // namespace praetor::test

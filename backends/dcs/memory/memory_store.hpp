// An in-process ZooKeeper twin: a tree of znodes with versions, ephemeral nodes owned by
// sessions, and one-shot watches. Several memory_clients (several simulated daemons) attach
// to one store. Used by unit tests and the simulation; it honours dcs::client's contract.
//
// Threads: every method may be called from any thread (one mutex). Hooks are called after the
// mutex is released, on the thread of the call that caused the event.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backends/dcs/dcs_client.hpp"

namespace praetor::dcs {

class memory_store {
 public:
  // What a session hears: watches that fired, and session changes the store causes
  // (disconnected / connected by set_connected, expired by expire_session).
  struct session_hooks {
    std::function<void(const std::string& path)> on_watch;
    std::function<void(session_state)> on_session;
  };

  std::int64_t open_session(session_hooks hooks);
  // The client ends its session: its ephemerals are deleted (firing others' watches); its
  // hooks are not called any more.
  void close_session(std::int64_t id);
  // The server ends a session (as after a missed heartbeat): like close_session, then the
  // session's on_session hook hears `expired`.
  void expire_session(std::int64_t id);
  // Simulates a connection loss (false) and its end (true) for one session; while
  // disconnected its operations fail with connection_loss. Reported through on_session.
  void set_connected(std::int64_t id, bool connected);
  bool session_alive(std::int64_t id) const;

  // The client operations, on behalf of session `id` (see dcs_client.hpp for the contract).
  result create(std::int64_t id, const std::string& path, std::string_view data, bool ephemeral,
                bool make_parents);
  get_result get(std::int64_t id, const std::string& path, bool watch);
  result set(std::int64_t id, const std::string& path, std::string_view data,
             znode_version expected);
  result remove(std::int64_t id, const std::string& path, znode_version expected);
  children_result children(std::int64_t id, const std::string& path, bool watch);

  // For tests: a znode's value and stat without a session; nullopt when missing.
  std::optional<get_result> peek(const std::string& path) const;

 private:
  struct node {
    std::string data;
    dcs::stat stat;
  };
  struct session {
    session_hooks hooks;
    bool connected = true;
  };
  using pending_calls = std::vector<std::function<void()>>;

  result usable(std::int64_t id) const;  // REQUIRES: mu_ held
  bool exists(const std::string& path) const;
  bool has_children(const std::string& path) const;
  std::vector<std::string> child_names(const std::string& path) const;
  void fire(std::map<std::string, std::set<std::int64_t>>& watches, const std::string& path,
            pending_calls& out);
  void on_created(const std::string& path, pending_calls& out);
  void on_deleted(const std::string& path, pending_calls& out);
  void drop_session(std::int64_t id, pending_calls& out);
  static void run(pending_calls& calls);

  mutable std::mutex mu_;
  std::map<std::string, node> nodes_;  // "/" is implicit and always exists
  std::map<std::int64_t, session> sessions_;
  std::map<std::string, std::set<std::int64_t>> data_watches_;   // path -> sessions
  std::map<std::string, std::set<std::int64_t>> child_watches_;  // path -> sessions
  std::int64_t next_session_ = 0x100000001;
  std::int64_t zxid_ = 0;
};

}  // namespace praetor::dcs

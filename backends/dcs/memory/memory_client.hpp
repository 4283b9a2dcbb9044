// A dcs::client over a shared memory_store: one per simulated daemon. Like the ZooKeeper
// client it opens a new session by itself after its session expired.
//
// Threads: the dcs::client contract. Callbacks run on the thread of whoever caused the event
// (a write by another client, expire_session from a test).
#pragma once

#include <atomic>
#include <memory>

#include "backends/dcs/dcs_client.hpp"
#include "backends/dcs/memory/memory_store.hpp"

namespace praetor::dcs {

class memory_client final : public client {
 public:
  explicit memory_client(std::shared_ptr<memory_store> store);
  ~memory_client() override;

  void start(session_callback on_session, watch_callback on_watch) override;
  std::int64_t session_id() const override;
  result create(const std::string& path, std::string_view data, bool ephemeral,
                bool make_parents) override;
  get_result get(const std::string& path, bool watch) override;
  result set(const std::string& path, std::string_view data, znode_version expected) override;
  result remove(const std::string& path, znode_version expected) override;
  children_result children(const std::string& path, bool watch) override;
  void close() override;
  // Memory sessions end only when a test expires them: there is no timeout to change.
  bool set_timeouts(const dcs_settings&) override { return false; }
  void restart_session() override;

 private:
  // Shared with the store's hooks (through weak pointers), so that a hook running on another
  // thread never touches a destroyed client.
  struct shared_state {
    std::shared_ptr<memory_store> store;
    session_callback on_session;
    watch_callback on_watch;
    std::atomic<std::int64_t> session{0};
    std::atomic<bool> closed{false};
  };
  static void open(const std::shared_ptr<shared_state>& s);
  static void report(const shared_state& s, session_state state, std::string detail = {});

  std::shared_ptr<shared_state> state_;
};

}  // namespace praetor::dcs

// dcs::client over ZooKeeper's multi-threaded C client (synchronous calls, THREADED).
//
// Threads: the owner thread calls the operations (each blocks for one round trip at most;
// while not connected they fail at once with connection_loss, as kazoo's do). The C client's
// completion thread runs the watcher, which only calls the session or watch callback. A small
// reviver thread of our own replaces the handle after a session expiry (a handle cannot be
// closed from its own completion thread), reporting expired, connecting, connected.
//
// Silence (silence_detector.hpp): the reviver thread also reports `disconnected` once
// read_timeout (Patroni's, max(loop_wait - 2, 2) s) passes without an answer from the server,
// then `connected` again when answers come back on the same session. Every answer counts:
// replies to the operations, watch events, the connection itself. The questions it asks
// (exists "/") stand in for the C client's own pings, which it sends only after recv_timeout/3
// without sending anything. The reviver sleeps until the next instant that matters (a question
// due, or the silence limit), so a connection with other traffic needs fewer questions.
#pragma once

#include <zookeeper/zookeeper.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "backends/dcs/dcs_client.hpp"
#include "backends/dcs/zookeeper/silence_detector.hpp"
#include "messages/settings.hpp"

namespace praetor::dcs {

class zookeeper_client final : public client {
 public:
  // `hosts`: "h1:2181,h2:2181"; the session timeout asked of the server (it may clamp it);
  // how long the server may stay silent before the connection counts as lost.
  zookeeper_client(std::string hosts, int session_timeout_ms, int read_timeout_ms);
  // Hosts joined with ',', session timeout = ttl * 1000 ms, read timeout
  // max(loop_wait - 2, 2) s.
  explicit zookeeper_client(const dcs_settings& settings);
  ~zookeeper_client() override;

  void start(session_callback on_session, watch_callback on_watch) override;
  std::int64_t session_id() const override;
  result create(const std::string& path, std::string_view data, bool ephemeral,
                bool make_parents) override;
  get_result get(const std::string& path, bool watch) override;
  std::vector<get_result> get_many(const std::vector<read_request>& requests) override;
  result set(const std::string& path, std::string_view data, znode_version expected) override;
  result remove(const std::string& path, znode_version expected) override;
  children_result children(const std::string& path, bool watch) override;
  void close() override;
  bool set_timeouts(const dcs_settings& settings) override;
  void restart_session() override;

  // The session's id and password, for tests that force an expiry from a second handle;
  // nullopt when not connected.
  std::optional<clientid_t> client_id() const;
  const std::string& hosts() const { return hosts_; }

 private:
  // The watcher's context: which client, and which of its handles (events of a handle that
  // was replaced are ignored).
  struct handle_context {
    zookeeper_client* self;
    std::uint64_t generation;
  };
  static void watcher(zhandle_t* zh, int type, int state, const char* path, void* context);
  void on_event(std::uint64_t generation, zhandle_t* zh, int type, int state, const char* path);
  void report(session_state state, std::string detail);
  void open_handle();   // REQUIRES: handle_mu_ held exclusively
  void close_handle();  // REQUIRES: handle_mu_ held exclusively
  void revive_loop();
  // The reviver's other job: judge the server's silence and ask it whether it is there when
  // due. Returns when to look again (steady ms).
  std::int64_t watch_silence();
  static void on_ping_answer(int rc, const Stat* stat, const void* data);
  struct read_batch;  // one get_many() in flight (zookeeper_client.cpp)
  static void on_read_answer(int rc, const char* value, int value_len, const Stat* stat,
                             const void* data);
  // Notes that the server answered when `rc` came from it; returns rc.
  int answered(int rc);
  result usable() const;  // REQUIRES: handle_mu_ held (shared)
  result create_locked(const std::string& path, std::string_view data, bool ephemeral);

  const std::string hosts_;
  std::atomic<int> session_timeout_ms_;  // for the next session
  std::atomic<int> read_timeout_ms_;
  std::atomic<std::int64_t> last_answer_ms_{0};  // the server last answered anything (steady ms)
  // The connected session event was handled (and set last_answer_ms_): before it, the C
  // client's state may already say connected while last_answer_ms_ is older than the connection.
  std::atomic<bool> connected_seen_{false};
  silence_detector silence_;  // reviver thread only
  session_callback on_session_;
  watch_callback on_watch_;

  std::atomic<std::int64_t> granted_timeout_ms_{0};  // the session timeout the server granted
  mutable std::shared_mutex handle_mu_;  // operations: shared; replacing the handle: exclusive
  zhandle_t* zh_ = nullptr;
  std::vector<std::unique_ptr<handle_context>> contexts_;  // kept until destruction
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::int64_t> session_{0};
  std::atomic<bool> closed_{false};

  std::mutex revive_mu_;
  std::condition_variable revive_cv_;
  bool revive_ = false;
  bool stopping_ = false;
  std::thread reviver_;
};

}  // namespace praetor::dcs

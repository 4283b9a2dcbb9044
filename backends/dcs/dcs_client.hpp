// The narrow DCS client the dcs_session actor talks to: the ZooKeeper operations Patroni's
// layout needs, with errors as values. Two implementations honour the same contract:
// zookeeper/ (the real one, over the multi-threaded C client) and memory/ (an in-process twin
// for unit tests and simulation).
//
// Threads: every method except the callbacks is called by ONE owner thread (the dcs_session
// actor). The callbacks given to start() run on the client's own thread (ZooKeeper's
// completion thread, or the thread of whoever wrote to the memory store) and must only hand
// the event on (one anon_send) and return: they must not call back into the client.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/dcs.hpp"
#include "messages/settings.hpp"
#include "messages/wal.hpp"

namespace praetor::dcs {

enum class error_code {
  ok,
  no_node,          // the znode (or, for create, its parent without make_parents) is missing
  node_exists,      // create: the znode is already there
  bad_version,      // set/remove: the znode's version is not the expected one
  not_empty,        // remove: the znode has children
  connection_loss,  // not connected right now (requests are not queued); the session may live
  session_expired,  // the session is gone; the client is opening a new one
  timeout,          // no answer in time
  other             // anything else; see detail
};

std::string_view to_string(error_code e);

// The outcome of an operation. `detail` says what failed, for logs and dcs_result.
struct result {
  error_code code = error_code::ok;
  std::string detail;
  bool ok() const { return code == error_code::ok; }
};

// What a znode's stat tells us (ZooKeeper's Stat, the fields praetor uses).
struct stat {
  std::int32_t version = 0;          // data version, for compare-and-set
  std::int64_t ephemeral_owner = 0;  // session id owning an ephemeral, 0 for persistent
  std::int64_t mzxid = 0;            // zxid of the last modification
};

struct get_result {
  result error;
  std::string data;
  dcs::stat stat;
};

struct children_result {
  result error;
  std::vector<std::string> names;  // child names (not paths), unsorted
};

// One znode to read in a get_many() batch.
struct read_request {
  std::string path;
  bool watch = false;
};

// Session changes: connecting -> connected -> (disconnected -> connected)* ... expired ->
// connecting -> connected (new session id). `since_ms` is the wall clock of the change.
using session_callback = std::function<void(const dcs_session_status&)>;
// A watch fired on `path` (created, deleted, data changed or children changed).
using watch_callback = std::function<void(const std::string& path)>;

class client {
 public:
  virtual ~client() = default;

  // Starts connecting in the background and returns at once. Reports `connecting` and then
  // every session change through `on_session`; fired watches through `on_watch`. Reconnection
  // after a connection loss is the client's own; after a session expiry the client opens a new
  // session by itself (reporting expired, connecting, connected).
  // REQUIRES: called once, before any other method.
  virtual void start(session_callback on_session, watch_callback on_watch) = 0;

  // The current session id; 0 when there is none.
  virtual std::int64_t session_id() const = 0;

  // Creates `path` holding `data`, atomically: node_exists when it is already there.
  // `ephemeral`: the znode lives as long as this session. `make_parents`: missing ancestors
  // are created first, persistent and empty.
  virtual result create(const std::string& path, std::string_view data, bool ephemeral,
                        bool make_parents) = 0;

  // Reads a znode. `watch`: arm a one-shot watch that fires when the znode is created,
  // changed or deleted (armed for its creation when it is missing, as zoo_wexists does).
  virtual get_result get(const std::string& path, bool watch) = 0;

  // The reads in `requests`, each as get() would do it, answered in the same order. The
  // ZooKeeper client sends them all before it waits, so the batch costs one round trip (and
  // one wake-up of each client thread) where get() one after the other costs one each. This
  // default reads one after the other.
  virtual std::vector<get_result> get_many(const std::vector<read_request>& requests);

  // Writes `data` if the znode's version equals `expected` (-1 = any version):
  // bad_version on a mismatch, no_node when it is missing (set never creates).
  virtual result set(const std::string& path, std::string_view data, znode_version expected) = 0;

  // Deletes a znode if its version equals `expected` (-1 = any): no_node, bad_version,
  // not_empty as the case may be.
  virtual result remove(const std::string& path, znode_version expected) = 0;

  // Lists the children of `path`. `watch`: arm a one-shot watch that fires when a child is
  // added or removed or the znode is deleted (armed for its creation when it is missing).
  virtual children_result children(const std::string& path, bool watch) = 0;

  // Ends the session (the server deletes its ephemerals at once). Idempotent; after close()
  // every operation fails with session_expired and no callback is called any more.
  virtual void close() = 0;

  // Ends the session and opens a new one (reporting connecting, then connected): how a
  // lock holder releases the leader lock, and how a ttl change takes effect.
  virtual void restart_session() = 0;

  // New timings from the dynamic configuration: the silence limit applies at once, the session
  // timeout from the next session on (ZooKeeper cannot change a live session's timeout).
  // Returns whether the session timeout differs from the current session's.
  virtual bool set_timeouts(const dcs_settings& settings) = 0;
};

}  // namespace praetor::dcs

#include "backends/dcs/zookeeper/zookeeper_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace praetor::dcs {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The C client reports every failed connection attempt as an error and retries by itself;
// whether that matters is the dcs_session's call (it warns when no session comes), so these
// lines go to info/debug instead of stderr.
void zookeeper_log(const char* message) {
  std::string_view m(message);
  while (!m.empty() && (m.back() == '\n' || m.back() == '\r')) m.remove_suffix(1);
  if (m.find("ZOO_ERROR") != std::string_view::npos || m.find("ZOO_WARN") != std::string_view::npos)
    spdlog::info("zookeeper client: {}", m);
  else
    spdlog::debug("zookeeper client: {}", m);
}

std::string join_hosts(const std::vector<std::string>& hosts) {
  std::string out;
  for (const auto& h : hosts) out += (out.empty() ? "" : ",") + h;
  return out;
}

result from_rc(int rc, const std::string& path) {
  error_code code;
  switch (rc) {
    case ZOK:
      return {};
    case ZNONODE:
      code = error_code::no_node;
      break;
    case ZNODEEXISTS:
      code = error_code::node_exists;
      break;
    case ZBADVERSION:
      code = error_code::bad_version;
      break;
    case ZNOTEMPTY:
      code = error_code::not_empty;
      break;
    case ZCONNECTIONLOSS:
      code = error_code::connection_loss;
      break;
    case ZSESSIONEXPIRED:
    case ZINVALIDSTATE:
      code = error_code::session_expired;
      break;
    case ZOPERATIONTIMEOUT:
      code = error_code::timeout;
      break;
    default:
      code = error_code::other;
      break;
  }
  return {code, path + ": " + zerror(rc)};
}

// Whether a result came from the server (and so proves it is there), not from the client
// itself: results of the API class do, except the client's own closing and expiry verdicts;
// system errors (connection loss, timeouts) never do.
bool from_server(int rc) {
  return rc == ZOK ||
         (rc <= ZAPIERROR && rc != ZSESSIONEXPIRED && rc != ZCLOSING && rc != ZNOTHING);
}

dcs::stat from_stat(const Stat& s) {
  return {s.version, s.ephemeralOwner, s.mzxid};
}

}  // namespace

zookeeper_client::zookeeper_client(std::string hosts, int session_timeout_ms, int read_timeout_ms)
    : hosts_(std::move(hosts)),
      session_timeout_ms_(session_timeout_ms),
      read_timeout_ms_(read_timeout_ms) {}

namespace {
// Patroni's read timeout: max(loop_wait - 2, 2) s.
int read_timeout_of(const dcs_settings& s) {
  return std::max(s.loop_wait - 2, 2) * 1000;
}
}  // namespace

zookeeper_client::zookeeper_client(const dcs_settings& settings)
    : zookeeper_client(join_hosts(settings.hosts), settings.ttl * 1000, read_timeout_of(settings)) {
}

bool zookeeper_client::set_timeouts(const dcs_settings& settings) {
  read_timeout_ms_ = read_timeout_of(settings);
  return session_timeout_ms_.exchange(settings.ttl * 1000) != settings.ttl * 1000;
}

zookeeper_client::~zookeeper_client() {
  close();
}

void zookeeper_client::start(session_callback on_session, watch_callback on_watch) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { zoo_set_debug_level(ZOO_LOG_LEVEL_WARN); });
  on_session_ = std::move(on_session);
  on_watch_ = std::move(on_watch);
  {
    std::unique_lock lock(handle_mu_);
    open_handle();
  }
  reviver_ = std::thread([this] { revive_loop(); });
}

void zookeeper_client::report(session_state state, std::string detail) {
  if (closed_ || !on_session_) return;
  on_session_(dcs_session_status{state, session_, now_ms(), std::move(detail),
                                 granted_timeout_ms_.load(), next_status_seq()});
}

void zookeeper_client::open_handle() {
  auto generation = ++generation_;
  contexts_.push_back(std::make_unique<handle_context>(handle_context{this, generation}));
  session_ = 0;
  connected_seen_ = false;
  report(session_state::connecting, "connecting to ZooKeeper at " + hosts_);
  zh_ = zookeeper_init2(hosts_.c_str(), &zookeeper_client::watcher, session_timeout_ms_, nullptr,
                        contexts_.back().get(), 0, &zookeeper_log);
  if (!zh_) {
    spdlog::error("DCS: cannot create a ZooKeeper handle for {}: {}; check zookeeper.hosts", hosts_,
                  std::strerror(errno));
    return;
  }
  // By default the C client resolves the host list again before every poll of its socket
  // (getaddrinfo: a netlink dump and a read of /dev/urandom each time), which is most of what
  // an idle connection costs. Resolving when it connects, as kazoo does, is enough.
  zoo_set_servers_resolution_delay(zh_, -1);
}

void zookeeper_client::close_handle() {
  if (!zh_) return;
  ++generation_;  // events still queued on the old handle are ignored from now on
  zookeeper_close(zh_);
  zh_ = nullptr;
  session_ = 0;
}

void zookeeper_client::watcher(zhandle_t* zh, int type, int state, const char* path,
                               void* context) {
  auto* ctx = static_cast<handle_context*>(context);
  ctx->self->on_event(ctx->generation, zh, type, state, path);
}

void zookeeper_client::on_event(std::uint64_t generation, zhandle_t* zh, int type, int state,
                                const char* path) {
  if (generation != generation_ || closed_) return;
  if (type == ZOO_SESSION_EVENT) {
    if (state == ZOO_CONNECTED_STATE) {
      session_ = zoo_client_id(zh)->client_id;
      granted_timeout_ms_ = zoo_recv_timeout(zh);
      last_answer_ms_ = steady_ms();
      connected_seen_ = true;
      report(session_state::connected, {});
    } else if (state == ZOO_CONNECTING_STATE) {
      connected_seen_ = false;
      report(session_state::disconnected, "lost the connection to ZooKeeper at " + hosts_);
    } else if (state == ZOO_EXPIRED_SESSION_STATE) {
      connected_seen_ = false;
      report(session_state::expired, "the ZooKeeper session expired");
      std::lock_guard lock(revive_mu_);
      revive_ = true;
      revive_cv_.notify_one();
    } else if (state == ZOO_AUTH_FAILED_STATE) {
      report(session_state::disconnected, "ZooKeeper refused our authentication");
    }
    return;
  }
  if (type == ZOO_NOTWATCHING_EVENT) return;  // the client's own news
  last_answer_ms_ = steady_ms();
  if (!path || !on_watch_) return;
  on_watch_(path);
}

void zookeeper_client::revive_loop() {
  std::unique_lock lock(revive_mu_);
  while (!stopping_) {
    if (!revive_) {
      lock.unlock();
      auto next = std::chrono::steady_clock::time_point(std::chrono::milliseconds(watch_silence()));
      lock.lock();
      revive_cv_.wait_until(lock, next, [this] { return revive_ || stopping_; });
      continue;
    }
    revive_ = false;
    lock.unlock();
    {
      std::unique_lock handle_lock(handle_mu_);
      if (!closed_) {
        close_handle();
        open_handle();
      }
    }
    lock.lock();
  }
}

void zookeeper_client::on_ping_answer(int rc, const Stat*, const void* data) {
  static_cast<zookeeper_client*>(const_cast<void*>(data))->answered(rc);
}

int zookeeper_client::answered(int rc) {
  if (from_server(rc)) last_answer_ms_ = steady_ms();
  return rc;
}

std::int64_t zookeeper_client::watch_silence() {
  const std::int64_t limit = read_timeout_ms_;
  std::shared_lock lock(handle_mu_);
  auto now = steady_ms();
  if (closed_ || !zh_ || zoo_state(zh_) != ZOO_CONNECTED_STATE || !connected_seen_)
    return silence_.not_connected(now, limit);
  auto v = silence_.judge(now, last_answer_ms_.load(), limit);
  using change = silence_detector::verdict::change;
  if (v.what == change::went_silent) {
    spdlog::warn(
        "DCS: ZooKeeper at {} has not answered for {} ms; treating the connection as lost until "
        "it does",
        hosts_, v.quiet_for_ms);
    report(session_state::disconnected, "ZooKeeper at " + hosts_ + " has not answered for " +
                                            std::to_string(v.quiet_for_ms) + " ms");
  } else if (v.what == change::answers_again) {
    spdlog::info("DCS: ZooKeeper at {} answers again (session 0x{:x})", hosts_, session_.load());
    report(session_state::connected, {});
  }
  if (v.ask) zoo_aexists(zh_, "/", 0, &zookeeper_client::on_ping_answer, this);
  return v.next_ms;
}

std::int64_t zookeeper_client::session_id() const {
  return session_;
}

std::optional<clientid_t> zookeeper_client::client_id() const {
  std::shared_lock lock(handle_mu_);
  if (!zh_ || zoo_state(zh_) != ZOO_CONNECTED_STATE) return std::nullopt;
  return *zoo_client_id(zh_);
}

result zookeeper_client::usable() const {
  if (closed_ || !zh_) return {error_code::session_expired, "the ZooKeeper handle is closed"};
  auto state = zoo_state(zh_);
  if (state == ZOO_CONNECTED_STATE) return {};
  if (state == ZOO_EXPIRED_SESSION_STATE)
    return {error_code::session_expired, "the ZooKeeper session expired"};
  return {error_code::connection_loss, "not connected to ZooKeeper at " + hosts_};
}

result zookeeper_client::create_locked(const std::string& path, std::string_view data,
                                       bool ephemeral) {
  int rc = zoo_create(zh_, path.c_str(), data.data(), static_cast<int>(data.size()),
                      &ZOO_OPEN_ACL_UNSAFE, ephemeral ? ZOO_EPHEMERAL : ZOO_PERSISTENT, nullptr, 0);
  return from_rc(answered(rc), path);
}

result zookeeper_client::create(const std::string& path, std::string_view data, bool ephemeral,
                                bool make_parents) {
  std::shared_lock lock(handle_mu_);
  if (auto u = usable(); !u.ok()) return u;
  auto r = create_locked(path, data, ephemeral);
  if (r.code != error_code::no_node || !make_parents) return r;
  for (auto slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    auto parent = path.substr(0, slash);
    auto p = create_locked(parent, "", false);
    if (!p.ok() && p.code != error_code::node_exists) return p;
  }
  return create_locked(path, data, ephemeral);
}

get_result zookeeper_client::get(const std::string& path, bool watch) {
  std::shared_lock lock(handle_mu_);
  if (auto u = usable(); !u.ok()) return {u, {}, {}};
  std::vector<char> buffer(64 * 1024);
  for (int attempt = 0; attempt < 3; ++attempt) {
    Stat st{};
    int len = static_cast<int>(buffer.size());
    int rc = answered(zoo_get(zh_, path.c_str(), watch ? 1 : 0, buffer.data(), &len, &st));
    if (rc == ZNONODE && watch) {
      // getData sets no watch on a missing node; exists does, and fires on its creation.
      rc = answered(zoo_exists(zh_, path.c_str(), 1, &st));
      if (rc == ZOK) continue;  // created in between: read it
      return {from_rc(rc == ZNONODE ? ZNONODE : rc, path), {}, {}};
    }
    if (rc != ZOK) return {from_rc(rc, path), {}, {}};
    if (st.dataLength > static_cast<int>(buffer.size())) {
      buffer.resize(static_cast<std::size_t>(st.dataLength));
      continue;
    }
    return {
        {}, std::string(buffer.data(), len < 0 ? 0 : static_cast<std::size_t>(len)), from_stat(st)};
  }
  return {{error_code::other, path + ": changed while being read"}, {}, {}};
}

// The answers of one get_many(), filled in on the completion thread. Shared by the caller and
// every request still in flight, so that whoever finishes last frees it.
struct zookeeper_client::read_batch {
  struct slot {  // what one request carries to its completion
    std::shared_ptr<read_batch> batch;
    std::size_t index;
  };
  zookeeper_client* client = nullptr;
  std::vector<get_result> answers;
  std::vector<int> codes;
  std::size_t due = 0;  // requests not answered yet
  std::mutex mu;
  std::condition_variable all_answered;

  void settle(std::size_t index, int rc) {  // REQUIRES: mu held
    codes[index] = rc;
    if (--due == 0) all_answered.notify_one();
  }
};

void zookeeper_client::on_read_answer(int rc, const char* value, int value_len, const Stat* st,
                                      const void* data) {
  std::unique_ptr<read_batch::slot> slot(static_cast<read_batch::slot*>(const_cast<void*>(data)));
  auto& batch = *slot->batch;
  batch.client->answered(rc);
  std::lock_guard lock(batch.mu);
  if (rc == ZOK) {
    auto& answer = batch.answers[slot->index];
    if (value && value_len > 0) answer.data.assign(value, static_cast<std::size_t>(value_len));
    if (st) answer.stat = from_stat(*st);
  }
  batch.settle(slot->index, rc);
}

std::vector<get_result> zookeeper_client::get_many(const std::vector<read_request>& requests) {
  auto batch = std::make_shared<read_batch>();
  batch->client = this;
  batch->answers.resize(requests.size());
  batch->codes.assign(requests.size(), ZOK);
  batch->due = requests.size();
  {
    std::shared_lock lock(handle_mu_);
    if (auto u = usable(); !u.ok()) {
      for (auto& a : batch->answers) a.error = u;
      return std::move(batch->answers);
    }
    for (std::size_t i = 0; i < requests.size(); ++i) {
      auto slot = std::make_unique<read_batch::slot>(read_batch::slot{batch, i});
      int rc = zoo_aget(zh_, requests[i].path.c_str(), requests[i].watch ? 1 : 0,
                        &zookeeper_client::on_read_answer, slot.get());
      if (rc == ZOK) {
        slot.release();  // the completion owns it now
      } else {
        std::lock_guard batch_lock(batch->mu);
        batch->settle(i, rc);
      }
    }
    std::unique_lock wait_lock(batch->mu);
    batch->all_answered.wait(wait_lock, [&] { return batch->due == 0; });
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const int rc = batch->codes[i];
    if (rc == ZNONODE && requests[i].watch)
      batch->answers[i] = get(requests[i].path, true);  // arms the watch for its creation
    else if (rc != ZOK)
      batch->answers[i].error = from_rc(rc, requests[i].path);
  }
  return std::move(batch->answers);
}

result zookeeper_client::set(const std::string& path, std::string_view data,
                             znode_version expected) {
  std::shared_lock lock(handle_mu_);
  if (auto u = usable(); !u.ok()) return u;
  return from_rc(answered(zoo_set(zh_, path.c_str(), data.data(), static_cast<int>(data.size()),
                                  expected.value)),
                 path);
}

result zookeeper_client::remove(const std::string& path, znode_version expected) {
  std::shared_lock lock(handle_mu_);
  if (auto u = usable(); !u.ok()) return u;
  return from_rc(answered(zoo_delete(zh_, path.c_str(), expected.value)), path);
}

children_result zookeeper_client::children(const std::string& path, bool watch) {
  std::shared_lock lock(handle_mu_);
  if (auto u = usable(); !u.ok()) return {u, {}};
  for (int attempt = 0; attempt < 2; ++attempt) {
    String_vector names{};
    int rc = answered(zoo_get_children(zh_, path.c_str(), watch ? 1 : 0, &names));
    if (rc == ZNONODE && watch) {
      Stat st{};
      rc = answered(zoo_exists(zh_, path.c_str(), 1, &st));
      if (rc == ZOK) continue;  // created in between: list it
      return {from_rc(rc, path), {}};
    }
    if (rc != ZOK) return {from_rc(rc, path), {}};
    children_result out;
    for (int i = 0; i < names.count; ++i) out.names.emplace_back(names.data[i]);
    deallocate_String_vector(&names);
    return out;
  }
  return {{error_code::other, path + ": changed while being listed"}, {}};
}

void zookeeper_client::close() {
  if (closed_.exchange(true)) return;
  {
    std::lock_guard lock(revive_mu_);
    stopping_ = true;
    revive_cv_.notify_one();
  }
  if (reviver_.joinable()) reviver_.join();
  std::unique_lock lock(handle_mu_);
  close_handle();
}

void zookeeper_client::restart_session() {
  std::unique_lock lock(handle_mu_);
  if (closed_) return;
  close_handle();
  open_handle();
}

}  // namespace praetor::dcs

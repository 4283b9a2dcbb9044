#include "backends/dcs/memory/memory_client.hpp"

#include <chrono>

namespace praetor::dcs {
namespace {
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

memory_client::memory_client(std::shared_ptr<memory_store> store)
    : state_(std::make_shared<shared_state>()) {
  state_->store = std::move(store);
}

memory_client::~memory_client() {
  close();
}

void memory_client::report(const shared_state& s, session_state state, std::string detail) {
  if (s.closed || !s.on_session) return;
  s.on_session(
      dcs_session_status{state, s.session, now_ms(), std::move(detail), 0, next_status_seq()});
}

void memory_client::open(const std::shared_ptr<shared_state>& s) {
  std::weak_ptr<shared_state> weak = s;
  memory_store::session_hooks hooks;
  hooks.on_watch = [weak](const std::string& path) {
    if (auto st = weak.lock(); st && !st->closed && st->on_watch) st->on_watch(path);
  };
  hooks.on_session = [weak](session_state state) {
    auto st = weak.lock();
    if (!st || st->closed) return;
    if (state == session_state::expired) {
      report(*st, session_state::expired, "the session expired");
      open(st);  // as the ZooKeeper client does: a new handle, a new session
    } else {
      report(*st, state);
    }
  };
  s->session = 0;
  report(*s, session_state::connecting);
  s->session = s->store->open_session(std::move(hooks));
  report(*s, session_state::connected);
}

void memory_client::start(session_callback on_session, watch_callback on_watch) {
  state_->on_session = std::move(on_session);
  state_->on_watch = std::move(on_watch);
  open(state_);
}

std::int64_t memory_client::session_id() const {
  return state_->session;
}

result memory_client::create(const std::string& path, std::string_view data, bool ephemeral,
                             bool make_parents) {
  return state_->store->create(state_->session, path, data, ephemeral, make_parents);
}

get_result memory_client::get(const std::string& path, bool watch) {
  return state_->store->get(state_->session, path, watch);
}

result memory_client::set(const std::string& path, std::string_view data, znode_version expected) {
  return state_->store->set(state_->session, path, data, expected);
}

result memory_client::remove(const std::string& path, znode_version expected) {
  return state_->store->remove(state_->session, path, expected);
}

children_result memory_client::children(const std::string& path, bool watch) {
  return state_->store->children(state_->session, path, watch);
}

void memory_client::close() {
  if (state_->closed.exchange(true)) return;
  state_->store->close_session(state_->session);
}

void memory_client::restart_session() {
  if (state_->closed) return;
  state_->store->close_session(state_->session);
  open(state_);
}

}  // namespace praetor::dcs

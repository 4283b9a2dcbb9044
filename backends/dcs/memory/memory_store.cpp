#include "backends/dcs/memory/memory_store.hpp"

namespace praetor::dcs {
namespace {

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

bool valid_path(const std::string& path) {
  return !path.empty() && path.front() == '/' && (path.size() == 1 || path.back() != '/') &&
         path.find("//") == std::string::npos;
}

result error(error_code code, const std::string& path) {
  return {code, path + ": " + std::string(to_string(code))};
}

}  // namespace

std::int64_t memory_store::open_session(session_hooks hooks) {
  std::lock_guard lock(mu_);
  auto id = next_session_++;
  sessions_[id] = session{std::move(hooks), true};
  return id;
}

void memory_store::close_session(std::int64_t id) {
  pending_calls calls;
  {
    std::lock_guard lock(mu_);
    drop_session(id, calls);
  }
  run(calls);
}

void memory_store::expire_session(std::int64_t id) {
  pending_calls calls;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    auto hook = it->second.hooks.on_session;
    drop_session(id, calls);
    if (hook) calls.push_back([hook] { hook(session_state::expired); });
  }
  run(calls);
}

void memory_store::set_connected(std::int64_t id, bool connected) {
  std::function<void(session_state)> hook;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end() || it->second.connected == connected) return;
    it->second.connected = connected;
    hook = it->second.hooks.on_session;
  }
  if (hook) hook(connected ? session_state::connected : session_state::disconnected);
}

bool memory_store::session_alive(std::int64_t id) const {
  std::lock_guard lock(mu_);
  return sessions_.count(id) > 0;
}

void memory_store::drop_session(std::int64_t id, pending_calls& out) {
  if (sessions_.erase(id) == 0) return;
  for (auto* watches : {&data_watches_, &child_watches_})
    for (auto& [path, ids] : *watches) ids.erase(id);
  std::vector<std::string> owned;
  for (const auto& [path, n] : nodes_)
    if (n.stat.ephemeral_owner == id) owned.push_back(path);
  for (const auto& path : owned) {
    nodes_.erase(path);
    on_deleted(path, out);
  }
}

result memory_store::usable(std::int64_t id) const {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return {error_code::session_expired, "the session has ended"};
  if (!it->second.connected) return {error_code::connection_loss, "not connected"};
  return {};
}

bool memory_store::exists(const std::string& path) const {
  return path == "/" || nodes_.count(path) > 0;
}

std::vector<std::string> memory_store::child_names(const std::string& path) const {
  std::vector<std::string> names;
  auto prefix = path == "/" ? std::string("/") : path + "/";
  for (auto it = nodes_.lower_bound(prefix); it != nodes_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    auto rest = it->first.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string::npos) names.push_back(rest);
  }
  return names;
}

bool memory_store::has_children(const std::string& path) const {
  return !child_names(path).empty();
}

void memory_store::fire(std::map<std::string, std::set<std::int64_t>>& watches,
                        const std::string& path, pending_calls& out) {
  auto it = watches.find(path);
  if (it == watches.end()) return;
  for (auto id : it->second) {
    auto s = sessions_.find(id);
    if (s == sessions_.end() || !s->second.hooks.on_watch) continue;
    auto hook = s->second.hooks.on_watch;
    out.push_back([hook, path] { hook(path); });
  }
  watches.erase(it);  // one-shot
}

void memory_store::on_created(const std::string& path, pending_calls& out) {
  fire(data_watches_, path, out);
  fire(child_watches_, parent_of(path), out);
}

void memory_store::on_deleted(const std::string& path, pending_calls& out) {
  fire(data_watches_, path, out);
  fire(child_watches_, path, out);
  fire(child_watches_, parent_of(path), out);
}

void memory_store::run(pending_calls& calls) {
  for (auto& call : calls) call();
}

result memory_store::create(std::int64_t id, const std::string& path, std::string_view data,
                            bool ephemeral, bool make_parents) {
  pending_calls calls;
  result r;
  {
    std::lock_guard lock(mu_);
    if (auto u = usable(id); !u.ok()) return u;
    if (!valid_path(path) || path == "/") return error(error_code::other, path);
    if (exists(path)) return error(error_code::node_exists, path);
    auto parent = parent_of(path);
    if (!exists(parent)) {
      if (!make_parents) return error(error_code::no_node, parent);
      std::vector<std::string> missing;
      for (auto p = parent; !exists(p); p = parent_of(p)) missing.push_back(p);
      for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        nodes_[*it] = node{"", stat{0, 0, ++zxid_}};
        on_created(*it, calls);
      }
    }
    if (ephemeral) {
      // ZooKeeper does not let an ephemeral have children; its parent must not be one either.
      auto p = nodes_.find(parent);
      if (p != nodes_.end() && p->second.stat.ephemeral_owner != 0)
        return error(error_code::other, path + " (parent is ephemeral)");
    }
    nodes_[path] = node{std::string(data), stat{0, ephemeral ? id : 0, ++zxid_}};
    on_created(path, calls);
  }
  run(calls);
  return r;
}

get_result memory_store::get(std::int64_t id, const std::string& path, bool watch) {
  std::lock_guard lock(mu_);
  if (auto u = usable(id); !u.ok()) return {u, {}, {}};
  if (watch) data_watches_[path].insert(id);
  auto it = nodes_.find(path);
  if (it == nodes_.end()) {
    if (path == "/") return {};
    return {error(error_code::no_node, path), {}, {}};
  }
  return {{}, it->second.data, it->second.stat};
}

result memory_store::set(std::int64_t id, const std::string& path, std::string_view data,
                         znode_version expected) {
  pending_calls calls;
  {
    std::lock_guard lock(mu_);
    if (auto u = usable(id); !u.ok()) return u;
    auto it = nodes_.find(path);
    if (it == nodes_.end()) return error(error_code::no_node, path);
    if (expected.value != -1 && expected.value != it->second.stat.version)
      return error(error_code::bad_version, path);
    it->second.data = std::string(data);
    ++it->second.stat.version;
    it->second.stat.mzxid = ++zxid_;
    fire(data_watches_, path, calls);
  }
  run(calls);
  return {};
}

result memory_store::remove(std::int64_t id, const std::string& path, znode_version expected) {
  pending_calls calls;
  {
    std::lock_guard lock(mu_);
    if (auto u = usable(id); !u.ok()) return u;
    auto it = nodes_.find(path);
    if (it == nodes_.end()) return error(error_code::no_node, path);
    if (expected.value != -1 && expected.value != it->second.stat.version)
      return error(error_code::bad_version, path);
    if (has_children(path)) return error(error_code::not_empty, path);
    nodes_.erase(it);
    on_deleted(path, calls);
  }
  run(calls);
  return {};
}

children_result memory_store::children(std::int64_t id, const std::string& path, bool watch) {
  std::lock_guard lock(mu_);
  if (auto u = usable(id); !u.ok()) return {u, {}};
  if (!exists(path)) {
    if (watch) data_watches_[path].insert(id);  // armed for its creation, as zoo_wexists
    return {error(error_code::no_node, path), {}};
  }
  if (watch) child_watches_[path].insert(id);
  return {{}, child_names(path)};
}

std::optional<get_result> memory_store::peek(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(path);
  if (it == nodes_.end()) return std::nullopt;
  return get_result{{}, it->second.data, it->second.stat};
}

}  // namespace praetor::dcs

#include "actors/dcs_session/dcs_writes.hpp"

#include <boost/json.hpp>

#include "actors/dcs_session/member_upkeep.hpp"

namespace praetor {
namespace {

using dcs::error_code;

dcs_result ok(const char* op, std::string detail = {}) {
  return {op, true, std::move(detail)};
}

dcs_result failed(const char* op, const std::string& what, const dcs::result& r) {
  return {op, false,
          what + ": " + std::string(dcs::to_string(r.code)) +
              (r.detail.empty() ? "" : " (" + r.detail + ")")};
}

// Unconditional set that creates the node when it is missing.
dcs::result put(dcs::client& c, const std::string& path, std::string_view data) {
  auto r = c.set(path, data, znode_version{-1});
  if (r.code != error_code::no_node) return r;
  r = c.create(path, data, false, true);
  if (r.code == error_code::node_exists) return c.set(path, data, znode_version{-1});
  return r;
}

// Compare-and-set on `expected`, or put() for -1 (any version, creating a missing node).
dcs::result set_if(dcs::client& c, const std::string& path, std::string_view data,
                   znode_version expected) {
  return expected.value == -1 ? put(c, path, data) : c.set(path, data, expected);
}

}  // namespace

std::string status_value(lsn optime, const slot_positions& slots) {
  boost::json::object o;
  o["optime"] = optime.value;
  if (!slots.empty()) o["slots"] = slot_positions_to_json(slots);
  return boost::json::serialize(o);
}

dcs_result apply(write_context& w, const race_initialize&) {
  auto path = w.paths.initialize();
  auto r = w.client.create(path, "", false, true);
  if (r.ok()) return ok("race_initialize");
  if (r.code == error_code::node_exists)
    return {"race_initialize", false, path + " exists: another member initializes the cluster"};
  return failed("race_initialize", "creating " + path, r);
}

dcs_result apply(write_context& w, const write_initialize& m) {
  auto path = w.paths.initialize();
  auto r = put(w.client, path, m.sysid);
  return r.ok() ? ok("write_initialize") : failed("write_initialize", "writing " + path, r);
}

dcs_result apply(write_context& w, const cancel_initialize&) {
  auto path = w.paths.initialize();
  auto r = w.client.remove(path, znode_version{-1});
  if (r.ok() || r.code == error_code::no_node) return ok("cancel_initialize");
  return failed("cancel_initialize", "deleting " + path, r);
}

dcs_result apply(write_context& w, const write_config& m) {
  auto path = w.paths.config();
  auto r = set_if(w.client, path, boost::json::serialize(m.config), m.expected);
  return r.ok() ? ok("write_config") : failed("write_config", "writing " + path, r);
}

config_change_result apply(write_context& w, const change_config& m) {
  auto path = w.paths.config();
  auto r = set_if(w.client, path, boost::json::serialize(m.config), m.expected);
  if (r.ok()) return {true, false, {}};
  if (r.code == error_code::bad_version || r.code == error_code::no_node)
    return {false, true,
            path + " changed since it was read (version " + std::to_string(m.expected.value) + ")"};
  return {false, false, failed("change_config", "writing " + path, r).detail};
}

dcs_result apply(write_context& w, const acquire_leader&) {
  auto path = w.paths.leader();
  auto r = w.client.create(path, w.member_name, true, true);
  if (r.ok()) return ok("acquire_leader");
  if (r.code == error_code::node_exists) {
    auto holder = w.client.get(path, false);
    return {"acquire_leader", false,
            path + " exists: the lock is held" +
                (holder.error.ok() ? " by " + holder.data : std::string())};
  }
  return failed("acquire_leader", "creating " + path, r);
}

dcs_result apply(write_context& w, const refresh_leader&) {
  auto path = w.paths.leader();
  auto current = w.client.get(path, false);
  if (current.error.ok()) {
    if (current.data != w.member_name)
      return {"refresh_leader", false, path + " is held by " + current.data};
    if (current.stat.ephemeral_owner == w.client.session_id()) return ok("refresh_leader");
    auto r = w.client.remove(path, znode_version{-1});
    if (!r.ok() && r.code != error_code::no_node)
      return failed("refresh_leader", "deleting " + path + " of our old session", r);
  } else if (current.error.code != error_code::no_node) {
    return failed("refresh_leader", "reading " + path, current.error);
  }
  auto r = w.client.create(path, w.member_name, true, true);
  return r.ok() ? ok("refresh_leader") : failed("refresh_leader", "re-creating " + path, r);
}

dcs_result apply(write_context& w, const release_leader& m) {
  dcs_result out = ok("release_leader");
  if (m.last_optime.value != 0) {
    auto r = put(w.client, w.paths.status(), status_value(m.last_optime));
    // The session restart below releases the lock whatever became of the status write.
    if (!r.ok()) out = failed("release_leader", "writing " + w.paths.status(), r);
  }
  w.client.restart_session();
  return out;
}

dcs_result apply(write_context& w, const publish_member& m) {
  const char* op = "publish_member";
  auto path = w.paths.member(w.member_name);
  auto wanted = member_to_json(m.record);
  auto data = boost::json::serialize(wanted);
  auto stored = w.client.get(path, false);
  bool exists = stored.error.ok();
  if (!exists && stored.error.code != error_code::no_node)
    return failed(op, "reading " + path, stored.error);
  if (exists) {
    auto old = member_from_znode(w.member_name, stored.data);
    auto mine = m.record;
    mine.name = w.member_name;
    if (member_needs_delete_first(old, stored.stat.ephemeral_owner, mine, w.client.session_id())) {
      auto r = w.client.remove(path, znode_version{-1});
      if (!r.ok() && r.code != error_code::no_node)
        return failed(op, "deleting " + path + " before re-creating it", r);
      exists = false;
    } else {
      boost::system::error_code ec;
      auto parsed = boost::json::parse(stored.data, ec);
      if (!ec && parsed.is_object() && parsed.get_object() == wanted) return ok(op);
    }
  }
  if (!exists) {
    auto r = w.client.create(path, data, true, true);
    if (r.ok()) return ok(op);
    if (r.code != error_code::node_exists) return failed(op, "creating " + path, r);
  }
  auto r = w.client.set(path, data, znode_version{-1});
  return r.ok() ? ok(op) : failed(op, "writing " + path, r);
}

dcs_result apply(write_context& w, const publish_status& m) {
  auto r = put(w.client, w.paths.status(), status_value(m.optime, m.slots));
  return r.ok() ? ok("publish_status") : failed("publish_status", "writing " + w.paths.status(), r);
}

dcs_result apply(write_context& w, const write_failover& m) {
  auto path = w.paths.failover();
  auto r = set_if(w.client, path, boost::json::serialize(failover_to_json(m.request)), m.expected);
  if (r.ok()) return ok("write_failover");
  if (r.code == error_code::bad_version)
    return {"write_failover", false,
            path + " changed since it was read (version " + std::to_string(m.expected.value) + ")"};
  return failed("write_failover", "writing " + path, r);
}

dcs_result apply(write_context& w, const clear_failover& m) {
  auto path = w.paths.failover();
  auto r = w.client.set(path, "{}", m.expected);
  if (r.ok() || r.code == error_code::no_node) return ok("clear_failover");
  if (r.code == error_code::bad_version)
    return {"clear_failover", false,
            path + " changed since it was read: a new request arrived; leaving it in place"};
  return failed("clear_failover", "clearing " + path, r);
}

dcs_result apply(write_context& w, const write_sync& m) {
  const char* op = "write_sync";
  auto path = w.paths.sync();
  auto data = sync_to_znode(m.leader, m.members, m.quorum);
  auto r = m.expected.value == -1 ? w.client.create(path, data, false, true)
                                  : w.client.set(path, data, m.expected);
  if (r.ok()) return ok(op);
  if (r.code == error_code::bad_version || r.code == error_code::node_exists ||
      r.code == error_code::no_node)
    return {op, false, path + " was changed by someone else since it was read"};
  return failed(op, "writing " + path, r);
}

dcs_result apply(write_context& w, const write_history& m) {
  auto path = w.paths.history();
  auto r = put(w.client, path, boost::json::serialize(m.history));
  return r.ok() ? ok("write_history") : failed("write_history", "writing " + path, r);
}

dcs_result apply(write_context& w, const write_failsafe& m) {
  auto path = w.paths.failsafe();
  auto r = put(w.client, path, boost::json::serialize(m.members));
  return r.ok() ? ok("write_failsafe") : failed("write_failsafe", "writing " + path, r);
}

}  // namespace praetor

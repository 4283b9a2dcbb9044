#include "backends/dcs/cluster_loader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <set>

#include "messages/json_fields.hpp"

namespace praetor::dcs {
namespace {

namespace json = boost::json;

result failed(const std::string& path, const result& r) {
  return {r.code, "reading " + path + " failed: " + std::string(to_string(r.code)) +
                      (r.detail.empty() ? "" : " (" + r.detail + ")")};
}

std::optional<json::value> parse_json(std::string_view data) {
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (ec) return std::nullopt;
  return v;
}

// A member value is usable when it is a JSON object or the legacy "postgres://..." form.
bool member_value_parses(std::string_view data) {
  if (data.starts_with("postgres")) return true;
  auto v = parse_json(data);
  return v && v->is_object();
}

lsn legacy_optime(std::string_view data) {
  std::uint64_t n = 0;
  auto r = std::from_chars(data.data(), data.data() + data.size(), n);
  return r.ec == std::errc{} ? lsn{n} : lsn{};
}

}  // namespace

lsn optime_from_status(std::string_view data) {
  auto v = parse_json(data);
  if (!v || !v->is_object()) return {};
  auto n = json_fields::optional_int(v->get_object(), "optime");
  return n && *n >= 0 ? lsn{static_cast<std::uint64_t>(*n)} : lsn{};
}

slot_positions slots_from_status(std::string_view data) {
  auto v = parse_json(data);
  return v && v->is_object() ? slot_positions_from_json(v->get_object().if_contains("slots"))
                             : slot_positions{};
}

load_result load_cluster(client& c, const paths& p, bool watch) {
  cluster_view view;
  view.loaded_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();

  auto top = c.children(p.base(), watch);
  if (top.error.code == error_code::no_node) return {std::move(view), {}};
  if (!top.error.ok()) return {std::nullopt, failed(p.base(), top.error)};
  std::set<std::string> present(top.names.begin(), top.names.end());
  auto has = [&](const char* name) { return present.count(name) > 0; };

  std::vector<std::string> member_names;
  if (has("members")) {
    auto names = c.children(p.members(), watch);
    if (!names.error.ok() && names.error.code != error_code::no_node)
      return {std::nullopt, failed(p.members(), names.error)};
    member_names = std::move(names.names);
    std::sort(member_names.begin(), member_names.end());
  }

  // Every znode of the view, read in one batch (one round trip to ZooKeeper, not one each).
  std::vector<read_request> reads;
  auto want = [&](std::string path, bool with_watch) -> std::optional<std::size_t> {
    reads.push_back({std::move(path), with_watch});
    return reads.size() - 1;
  };
  std::optional<std::size_t> initialize_at, config_at, leader_at, status_at, optime_at, failover_at,
      sync_at, history_at, failsafe_at;
  if (has("initialize")) initialize_at = want(p.initialize(), false);
  if (has("config")) config_at = want(p.config(), watch);
  if (has("leader")) leader_at = want(p.leader(), false);
  std::vector<std::size_t> member_at;
  for (const auto& name : member_names) member_at.push_back(*want(p.member(name), false));
  if (has("status"))
    status_at = want(p.status(), watch);
  else if (has("optime"))
    optime_at = want(p.optime_leader(), false);
  if (has("failover")) failover_at = want(p.failover(), watch);
  if (has("sync")) sync_at = want(p.sync(), watch);
  if (has("history")) history_at = want(p.history(), watch);
  if (has("failsafe")) failsafe_at = want(p.failsafe(), watch);
  const auto answers = c.get_many(reads);

  // A znode that vanished since the listing is left out; any other failure fails the load.
  for (std::size_t i = 0; i < answers.size(); ++i)
    if (!answers[i].error.ok() && answers[i].error.code != error_code::no_node)
      return {std::nullopt, failed(reads[i].path, answers[i].error)};
  auto read = [&](std::optional<std::size_t> at) -> const get_result* {
    return at && answers[*at].error.ok() ? &answers[*at] : nullptr;
  };

  if (const auto* r = read(initialize_at)) view.initialize = r->data;

  if (const auto* r = read(config_at)) {
    view.config_version = znode_version{r->stat.version};
    auto v = parse_json(r->data);
    if (v && v->is_object())
      view.config = v->get_object();
    else if (!r->data.empty())
      spdlog::warn("DCS: {} is not a JSON object; treating the dynamic configuration as empty",
                   p.config());
  }

  if (const auto* r = read(leader_at)) view.leader = leader_lock{r->data, r->stat.ephemeral_owner};

  for (std::size_t m = 0; m < member_names.size(); ++m) {
    const auto* r = read(member_at[m]);
    if (!r) continue;
    if (!member_value_parses(r->data)) {
      spdlog::warn("DCS: skipping member znode {}: its value is not a member record",
                   reads[member_at[m]].path);
      continue;
    }
    view.members.push_back(member_from_znode(member_names[m], r->data));
  }

  if (const auto* r = read(status_at)) {
    view.optime = optime_from_status(r->data);
    view.slots = slots_from_status(r->data);
  }
  if (const auto* r = read(optime_at)) view.optime = legacy_optime(r->data);

  if (const auto* r = read(failover_at))
    view.failover = failover_from_znode(r->data, znode_version{r->stat.version});

  if (const auto* r = read(sync_at)) {
    view.sync = sync_from_znode(r->data, znode_version{r->stat.version});
    auto v = parse_json(r->data);
    const bool says_empty =
        r->data.empty() || (v && (v->is_null() || (v->is_object() && v->get_object().empty())));
    if (view.sync.empty() && !says_empty)
      spdlog::warn(
          "DCS: {} is not a sync state (a JSON object with a leader); treating it as empty "
          "until the lock holder writes it again (meanwhile, as in Patroni, a failover is not "
          "limited to synchronous standbys)",
          p.sync());
  }

  if (const auto* r = read(history_at)) {
    auto v = parse_json(r->data);
    if (v && v->is_array()) view.history = v->get_array();
  }

  if (const auto* r = read(failsafe_at)) {
    auto v = parse_json(r->data);
    if (v && v->is_object()) view.failsafe = v->get_object();
  }

  return {std::move(view), {}};
}

}  // namespace praetor::dcs

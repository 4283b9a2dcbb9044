#include "backends/dcs/cluster_loader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <charconv>
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

  // Reads one child of base; nullopt when it vanished in between (not an error).
  std::optional<result> error;
  auto read = [&](const std::string& path, bool with_watch) -> std::optional<get_result> {
    auto r = c.get(path, with_watch);
    if (r.error.code == error_code::no_node) return std::nullopt;
    if (!r.error.ok()) {
      if (!error) error = failed(path, r.error);
      return std::nullopt;
    }
    return r;
  };

  if (has("initialize"))
    if (auto r = read(p.initialize(), false)) view.initialize = r->data;
  if (error) return {std::nullopt, *error};

  if (has("config"))
    if (auto r = read(p.config(), watch)) {
      view.config_version = znode_version{r->stat.version};
      auto v = parse_json(r->data);
      if (v && v->is_object()) view.config = v->get_object();
      else if (!r->data.empty())
        spdlog::warn("DCS: {} is not a JSON object; treating the dynamic configuration as empty",
                     p.config());
    }
  if (error) return {std::nullopt, *error};

  if (has("leader"))
    if (auto r = read(p.leader(), false)) view.leader = leader_lock{r->data, r->stat.ephemeral_owner};
  if (error) return {std::nullopt, *error};

  if (has("members")) {
    auto names = c.children(p.members(), watch);
    if (!names.error.ok() && names.error.code != error_code::no_node)
      return {std::nullopt, failed(p.members(), names.error)};
    std::sort(names.names.begin(), names.names.end());
    for (const auto& name : names.names) {
      auto path = p.member(name);
      auto r = read(path, false);
      if (error) return {std::nullopt, *error};
      if (!r) continue;
      if (!member_value_parses(r->data)) {
        spdlog::warn("DCS: skipping member znode {}: its value is not a member record", path);
        continue;
      }
      view.members.push_back(member_from_znode(name, r->data));
    }
  }

  if (has("status")) {
    if (auto r = read(p.status(), watch)) view.optime = optime_from_status(r->data);
  } else if (has("optime")) {
    if (auto r = read(p.optime_leader(), false)) view.optime = legacy_optime(r->data);
  }
  if (error) return {std::nullopt, *error};

  if (has("failover"))
    if (auto r = read(p.failover(), watch))
      view.failover = failover_from_znode(r->data, znode_version{r->stat.version});
  if (error) return {std::nullopt, *error};

  if (has("history"))
    if (auto r = read(p.history(), watch)) {
      auto v = parse_json(r->data);
      if (v && v->is_array()) view.history = v->get_array();
    }
  if (error) return {std::nullopt, *error};

  return {std::move(view), {}};
}

}  // namespace praetor::dcs

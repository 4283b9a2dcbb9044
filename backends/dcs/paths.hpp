// Where Patroni 3.0.2 keeps each key of a cluster in ZooKeeper (docs/compatibility.md, "ZooKeeper
// layout and values"). A plain value; any thread may use it.
#pragma once

#include <string>
#include <string_view>

namespace praetor::dcs {

class paths {
 public:
  // `base_path` is "/<namespace>/<scope>"; runs of '/' are collapsed and a trailing '/' dropped.
  explicit paths(std::string_view base_path);
  // "/" + namespace + "/" + scope, collapsed: ("service", "demo") and ("/service/", "demo")
  // both give "/service/demo". An empty namespace means "service".
  static paths of(std::string_view namespace_, std::string_view scope);

  const std::string& base() const { return base_; }
  std::string initialize() const { return base_ + "/initialize"; }
  std::string config() const { return base_ + "/config"; }
  std::string leader() const { return base_ + "/leader"; }
  std::string members() const { return base_ + "/members"; }
  std::string member(std::string_view name) const;
  std::string status() const { return base_ + "/status"; }
  std::string optime() const { return base_ + "/optime"; }
  std::string optime_leader() const { return base_ + "/optime/leader"; }  // legacy
  std::string failover() const { return base_ + "/failover"; }
  std::string sync() const { return base_ + "/sync"; }
  std::string history() const { return base_ + "/history"; }
  std::string failsafe() const { return base_ + "/failsafe"; }

 private:
  std::string base_;
};

// Collapses runs of '/', ensures a leading '/' and drops a trailing one ("" -> "/").
std::string normalize_path(std::string_view path);

}  // namespace praetor::dcs

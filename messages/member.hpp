// A member record: what one daemon publishes about itself in <base>/members/<name>, in
// Patroni 3.0.2's JSON (docs/compatibility.md, "ZooKeeper layout and values"). The name is the
// znode's name and is not part of the JSON.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "messages/wal.hpp"

namespace praetor {

struct member_record {
  std::string name;                  // znode name, unique in the cluster
  std::string conn_url;              // postgres://host:port/dbname
  std::string api_url;               // http://host:port/patroni
  std::string state;                 // PostgreSQL state: running, stopped, creating replica...
  std::string role;                  // master | replica | uninitialized | demoted | promoted
  std::string version = "3.0.2";     // claimed daemon version (peers parse it)
  boost::json::object tags;          // effective tags, false booleans omitted
  bool pending_restart = false;      //
  std::optional<lsn> xlog_location;  // primary: current LSN; replica: max(receive, replay)
  std::optional<timeline> tl;        // "timeline" in JSON
  std::optional<bool> checkpoint_after_promote;  // present (false) only until the checkpoint
  bool pause = false;                            //
  std::string replication_state;          // replica: "streaming" | "in archive recovery" ([3.0.4+])
  boost::json::object scheduled_restart;  // {"schedule": ISO time, ...}; empty = none

  bool operator==(const member_record&) const = default;

  // host and port parsed from conn_url; empty/0 when it does not parse.
  std::string host() const;
  int port() const;
  bool nofailover() const;
  bool nosync() const;
};

// Patroni's compact member JSON (without the name).
boost::json::object member_to_json(const member_record& m);

// Reads a member znode's value. Garbage (not JSON, not an object) gives a record with only the
// name set, as Patroni treats an unparseable record as empty. A value starting with
// "postgres" is the legacy form: a conn_url whose application_name holds the api_url.
member_record member_from_znode(std::string name, std::string_view data);

void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v, const member_record& m);
member_record tag_invoke(const boost::json::value_to_tag<member_record>&,
                         const boost::json::value& v);

}  // namespace praetor

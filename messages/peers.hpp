// Asking the other members how they are, over their REST API (GET <api_url>, as Patroni's
// election probes do, docs/compatibility.md, "REST API"), so that decide() can tell whether this
// member is the healthiest one without doing I/O itself.
#pragma once

#include <boost/describe.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/member.hpp"
#include "messages/wal.hpp"

namespace praetor {

// What one peer answered (or that it did not).
struct peer_status {
  std::string name;
  bool reachable = false;   // answered with a JSON body holding "xlog" or "wal"
  bool in_recovery = true;  // no xlog.location in the answer
  lsn wal_position;         // primary: location; replica: max(received, replayed)
  timeline tl;
  bool nofailover = false;  // tags.nofailover in the answer
  bool watchdog_failed = false;
  std::string error;          // why it is unreachable, naming the URL
  int failover_priority = 1;  // tags.failover_priority in the answer (Patroni 3.2+)
  bool operator==(const peer_status&) const = default;
};
BOOST_DESCRIBE_STRUCT(peer_status, (),
                      (name, reachable, in_recovery, wal_position, tl, nofailover, watchdog_failed,
                       error, failover_priority))

// Probe these members in parallel, each with `timeout_ms`; answered by one peer_statuses with
// the same round.
struct probe_peers {
  std::uint64_t round = 0;
  std::vector<member_record> members;
  int timeout_ms = 2000;
  bool operator==(const probe_peers&) const = default;
};
BOOST_DESCRIBE_STRUCT(probe_peers, (), (round, members, timeout_ms))

struct peer_statuses {
  std::uint64_t round = 0;
  std::vector<peer_status> peers;  // one per member asked, in the order asked
  bool operator==(const peer_statuses&) const = default;
};
BOOST_DESCRIBE_STRUCT(peer_statuses, (), (round, peers))

// Failsafe mode, the primary without the DCS: POST /failsafe with `body` (its name, conn_url
// and api_url) to every member the failsafe key lists, as Patroni's check_failsafe_topology.
// Answered by one failsafe_answers once every member answered, failed or timed out.
struct failsafe_ping {
  std::uint64_t round = 0;
  std::vector<member_record> members;  // name and api_url
  std::string body;
  int timeout_ms = 2000;
  bool operator==(const failsafe_ping&) const = default;
};
BOOST_DESCRIBE_STRUCT(failsafe_ping, (), (round, members, body, timeout_ms))

struct failsafe_answer {
  std::string name;
  bool accepted = false;  // HTTP 200 with the body "Accepted"
  std::string detail;     // what it answered instead, or why nothing came
  bool operator==(const failsafe_answer&) const = default;
};
BOOST_DESCRIBE_STRUCT(failsafe_answer, (), (name, accepted, detail))

struct failsafe_answers {
  std::uint64_t round = 0;
  std::vector<failsafe_answer> answers;  // one per member asked, in the order asked
  bool operator==(const failsafe_answers&) const = default;
};
BOOST_DESCRIBE_STRUCT(failsafe_answers, (), (round, answers))

}  // namespace praetor

// Reading a peer's answer to GET <api_url> (its /patroni status JSON) the way Patroni 3.0.2's
// _MemberStatus.from_api_response does (docs/compatibility.md, "REST API"). Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "messages/peers.hpp"

namespace praetor::peers {

// What one GET produced at the transport level: a complete HTTP response, or why not.
struct http_answer {
  bool answered = false;  // a complete HTTP response arrived
  int http_status = 0;
  std::string body;
  std::string error;  // when !answered: why (refused, timed out, bad URL, ...)
};

// The peer's status from its answer. Reachable iff the body is a JSON object holding "wal" or
// "xlog" (as in Patroni, the HTTP status does not matter; it only appears in the error).
//   in_recovery   = xlog.location is missing or falsy (Python's `not bool(...)`): a truthy
//                   location of any type means "primary", as Patroni reads it, because calling
//                   a live primary unreachable would let a replica race it;
//   wal_position  = location on a primary (0 if not a number), max(received_location,
//                   replayed_location) on a replica (missing = 0; null or not a number ->
//                   unreachable, where Python's max() would raise);
//   tl            = "timeline" (null or not a number = 0, unknown);
//   nofailover    = truthiness of tags.nofailover; watchdog_failed = its truthiness.
// Garbage (not JSON, not an object, no wal/xlog, a wal/xlog that is not an object) gives an
// unreachable status whose error names the member (and `url` when given).
peer_status parse_peer_answer(const std::string& name, int http_status, std::string_view body,
                              std::string_view url = {});

// "member <name> (GET <url>)", or "member <name>" without a URL: how errors name a peer.
std::string peer_label(const std::string& name, std::string_view url);

// The status for a peer that did not answer: unreachable, the error naming member, URL, cause.
peer_status unreachable_peer(const std::string& name, std::string_view url, std::string_view cause);

// parse_peer_answer for an answer, unreachable_peer for a failure.
peer_status peer_status_from(const std::string& name, std::string_view url,
                             const http_answer& answer);

}  // namespace praetor::peers

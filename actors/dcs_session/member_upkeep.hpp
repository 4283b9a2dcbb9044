// When a member record must be deleted before it is written again (docs/compatibility.md,
// "ZooKeeper layout and values"): 3.0.2 peers watch only the children of <base>/members, so a
// delete + create is how a notable change reaches them at once. Pure; any thread.
#pragma once

#include <cstdint>

#include "messages/member.hpp"

namespace praetor {

// `stored`/`stored_owner`: the record in the DCS and its ephemeralOwner; `wanted`: the record
// we are about to write; `my_session`: our session id.
// True when the stored record belongs to another session (ours before an expiry, say), or
// when tags, version or checkpoint_after_promote differ, or state changed to or from running.
bool member_needs_delete_first(const member_record& stored, std::int64_t stored_owner,
                               const member_record& wanted, std::int64_t my_session);

}  // namespace praetor

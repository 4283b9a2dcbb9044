#include "actors/dcs_session/member_upkeep.hpp"

namespace praetor {

bool member_needs_delete_first(const member_record& stored, std::int64_t stored_owner,
                               const member_record& wanted, std::int64_t my_session) {
  if (stored_owner != my_session) return true;
  if (stored.tags != wanted.tags) return true;
  if (stored.version != wanted.version) return true;
  if (stored.checkpoint_after_promote != wanted.checkpoint_after_promote) return true;
  if (stored.state != wanted.state && (stored.state == "running" || wanted.state == "running"))
    return true;
  return false;
}

}  // namespace praetor

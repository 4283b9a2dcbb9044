// The callback_runner's vocabulary: which of Patroni's `postgresql.callbacks` to run, and with
// which role. The runner turns it into `<configured command> <action> <role> <scope>`
// (docs/compatibility.md, "Behaviour differences worth knowing"); both enums are spelled exactly as
// the callback program receives them, and as their JSON form writes them.
#pragma once

#include <boost/describe.hpp>

namespace praetor {

// The events Patroni 3.0.2 calls a program for; the key under `postgresql.callbacks`.
enum class callback_action { on_start, on_stop, on_restart, on_reload, on_role_change };
BOOST_DESCRIBE_ENUM(callback_action, on_start, on_stop, on_restart, on_reload, on_role_change)

// The role the program is told, in Patroni 3.0.2's words: `master` for a primary (also right
// after a promote, which Patroni holds as `promoted` and reports as `master`; 4.x says
// `primary`), `demoted` for a primary that is being demoted or has just stopped being one.
enum class callback_role { master, replica, standby_leader, demoted };
BOOST_DESCRIBE_ENUM(callback_role, master, replica, standby_leader, demoted)

// Run the program configured for `action`, if any, without waiting for it. Fire and forget:
// the runner logs what became of it and answers nothing.
struct run_callback {
  callback_action action = callback_action::on_start;
  callback_role role = callback_role::replica;
  bool operator==(const run_callback&) const = default;
};
BOOST_DESCRIBE_STRUCT(run_callback, (), (action, role))

}  // namespace praetor

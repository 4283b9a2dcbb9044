// Ports for the servers a test starts (ZooKeeper, PostgreSQL, REST APIs), on 127.0.0.1.
#pragma once

namespace praetor::test {

// A loopback TCP port that is free now. Chosen outside Linux's ephemeral range (32768-60999),
// so that no outgoing connection takes it before our server binds it, and from a block of
// ports of this process's own (by pid), so that tests run in parallel (ctest -j) do not pick
// the same one in the moment between choosing and binding. Falls back to the kernel's choice.
int free_loopback_port();

}  // namespace praetor::test

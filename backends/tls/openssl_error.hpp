// OpenSSL's error queue in words, for the messages of the REST server's and the HTTP clients'
// TLS setup. Reads and empties the calling thread's queue.
#pragma once

#include <string>

namespace praetor::tls {

// The oldest error on this thread's OpenSSL queue, the root cause ("no start line (PEM
// routines)"; the newest is a generic "PEM lib"), as "reason (library)"; empties the queue.
std::string openssl_error();

}  // namespace praetor::tls

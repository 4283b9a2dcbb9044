#include "backends/tls/openssl_error.hpp"

#include <openssl/err.h>

namespace praetor::tls {

std::string openssl_error() {
  const unsigned long e = ERR_peek_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  const char* reason = ERR_reason_error_string(e);
  const char* lib = ERR_lib_error_string(e);
  std::string out = reason ? reason : "OpenSSL error " + std::to_string(e);
  if (lib) out += std::string(" (") + lib + ")";
  return out;
}

}  // namespace praetor::tls

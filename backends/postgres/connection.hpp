// A libpq connection to one PostgreSQL instance, with errors as values, and the status query
// that fills pg_status in one round trip. Blocking calls (connect_timeout=3): use only from a
// detached actor or a worker thread. One connection belongs to one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "messages/pg.hpp"
#include "messages/settings.hpp"

struct pg_conn;

namespace praetor::pg {

struct conn_params {
  std::string host;  // a socket directory (starts with '/') or an address
  int port = 5432;
  std::string user;
  std::string password;
  std::string dbname = "postgres";
  bool replication = false;  // a physical walsender connection (replication=true)
  int connect_timeout = 3;
  std::string application_name = "praetor";
  std::map<std::string, std::string> options;  // the user's sslmode, sslcert, ... (pg_credentials)
};

// The local instance over its unix socket (socket_dir()) as the superuser.
conn_params local_superuser_params(const postgres_settings& s);

// PQping: true when the server accepts connections.
bool accepts_connections(const conn_params& p);

struct query_result {
  bool ok = false;
  std::string error;     // libpq's message, one line
  std::string sqlstate;  // the server's error code (e.g. "58P01"), "" when none
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class connection {
 public:
  connection();
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  bool connect(const conn_params& p, std::string& error);
  bool connected() const;
  void close();
  // Runs one statement (or several separated by ';' when params is empty); all results
  // drained, the rows of the last one returned.
  query_result exec(const std::string& sql, const std::vector<std::string>& params = {});
  // Escaping through libpq (quote_literal / quote_ident semantics); "" if not connected.
  std::string literal(const std::string& v);
  std::string identifier(const std::string& v);

 private:
  ::pg_conn* conn_ = nullptr;
};

// Queries the instance's role, timeline, WAL positions, WAL receiver, pg_stat_replication,
// version, start time and system identifier in one round trip and writes them into `status`
// (fields the supervisor owns — state, action, accepted_seq, last_error, upstream — are left
// alone, except that upstream is filled from the WAL receiver when empty).
bool query_status(connection& c, pg_status& status, std::string& error);

}  // namespace praetor::pg

#include "tests/support/pg_writer.hpp"

#include <libpq-fe.h>

#include <algorithm>

namespace praetor::test {
namespace {

bool exec_ok(PGconn* c, const char* sql, int nparams = 0, const char* const* values = nullptr) {
  PGresult* r = PQexecParams(c, sql, nparams, nullptr, values, nullptr, nullptr, 0);
  auto status = PQresultStatus(r);
  PQclear(r);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

pg_writer::pg_writer(std::string conninfo, std::string table, std::chrono::milliseconds period)
    : conninfo_(std::move(conninfo) + " target_session_attrs=read-write connect_timeout=2"),
      table_(std::move(table)),
      period_(period) {}

pg_writer::~pg_writer() {
  stop();
}

void pg_writer::start() {
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void pg_writer::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void pg_writer::run() {
  PGconn* conn = nullptr;
  bool table_ready = false;
  auto next = std::chrono::steady_clock::now();
  while (!stop_) {
    next += period_;
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
      if (conn) PQfinish(conn);
      conn = PQconnectdb(conninfo_.c_str());
      if (PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);
        conn = nullptr;
      }
    }
    if (conn && !table_ready) {
      std::string ddl = "CREATE TABLE IF NOT EXISTS " + table_ +
                        " (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())";
      table_ready = exec_ok(conn, ddl.c_str());
    }
    if (conn && table_ready) {
      auto id = next_id_.fetch_add(1);
      auto text = std::to_string(id);
      const char* values[] = {text.c_str()};
      std::string sql = "INSERT INTO " + table_ + " (id) VALUES ($1)";
      if (exec_ok(conn, sql.c_str(), 1, values)) {
        std::lock_guard lock(mutex_);
        acked_.push_back({id, std::chrono::steady_clock::now()});
      } else {
        // The server went away or turned read-only: find the writable one again.
        PQfinish(conn);
        conn = nullptr;
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (next > now)
      std::this_thread::sleep_until(next);
    else
      next = now;  // do not make up for lost time with a burst
  }
  if (conn) PQfinish(conn);
}

std::vector<acked_write> pg_writer::acknowledged() const {
  std::lock_guard lock(mutex_);
  return acked_;
}

std::chrono::milliseconds pg_writer::longest_gap() const {
  std::lock_guard lock(mutex_);
  std::chrono::steady_clock::duration longest{};
  for (std::size_t i = 1; i < acked_.size(); ++i)
    longest = std::max(longest, acked_[i].at - acked_[i - 1].at);
  return std::chrono::duration_cast<std::chrono::milliseconds>(longest);
}

std::chrono::steady_clock::time_point pg_writer::first_ack_after(
    std::chrono::steady_clock::time_point t) const {
  std::lock_guard lock(mutex_);
  for (const auto& a : acked_)
    if (a.at >= t) return a.at;
  return {};
}

}  // namespace praetor::test

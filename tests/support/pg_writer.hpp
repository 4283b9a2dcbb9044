// A client that writes the way an application does during a failover: one row every 20 ms
// (by default), each its own transaction, through a multi-host libpq connection string with
// target_session_attrs=read-write, reconnecting after every failure. It remembers which rows
// were acknowledged (COMMIT returned) and when, so that a test or benchmark can measure the
// write outage (the longest gap between two acknowledged commits) and check that no
// acknowledged row is lost.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace praetor::test {

struct acked_write {
  std::int64_t id = 0;
  std::chrono::steady_clock::time_point at;
};

class pg_writer {
 public:
  // `conninfo`: e.g. "host=127.0.0.1,127.0.0.1 port=5001,5002 user=postgres password=x
  // dbname=postgres". target_session_attrs=read-write and connect_timeout=2 are added.
  // The table `table` (id bigint primary key, at timestamptz) is created if missing.
  pg_writer(std::string conninfo, std::string table = "writer_rows",
            std::chrono::milliseconds period = std::chrono::milliseconds(20));
  ~pg_writer();  // stop()s
  pg_writer(const pg_writer&) = delete;
  pg_writer& operator=(const pg_writer&) = delete;

  void start();
  void stop();

  std::vector<acked_write> acknowledged() const;
  std::int64_t attempts() const { return next_id_.load() - 1; }
  // The longest gap between consecutive acknowledged commits, and where it ended.
  std::chrono::milliseconds longest_gap() const;
  // The first acknowledged commit at or after `t`; nullopt-like: time_point{} when none.
  std::chrono::steady_clock::time_point first_ack_after(
      std::chrono::steady_clock::time_point t) const;
  const std::string& table() const { return table_; }

 private:
  void run();

  std::string conninfo_;
  std::string table_;
  std::chrono::milliseconds period_;
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> next_id_{1};
  mutable std::mutex mutex_;
  std::vector<acked_write> acked_;
  std::thread thread_;
};

}  // namespace praetor::test

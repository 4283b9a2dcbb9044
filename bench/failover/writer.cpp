// The benchmark's application: tests/support/pg_writer (one row every 20 ms, each its own
// transaction, through a multi-host connection string with target_session_attrs=read-write,
// reconnecting after every failure), run as a process so that bench/failover/run.sh can start
// it before a fault and stop it after. It appends every acknowledged row to a file as it goes,
// one line `ID WALL_MS` (the wall-clock time, in ms with µs decimals, at which COMMIT returned),
// so that measure.py can line the commits up with the moment of the fault ($EPOCHREALTIME) and
// check every acknowledged id against the new primary.
//
//   failover_writer --conninfo "host=127.0.0.1,127.0.0.1 port=5001,5002 user=postgres ..."
//                   --out FILE [--table writer_rows] [--period-ms 20] [--duration SECONDS]
//                   [--recreate]
//
// --recreate drops the table first (on the writable server), so that ids, which start at 1 in
// every run, never meet rows of an earlier run. Runs until SIGTERM or SIGINT, or for
// --duration seconds; then stops, writes what is left, and prints a summary on stderr.
#include <libpq-fe.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "tests/support/pg_writer.hpp"

namespace {

std::atomic<bool> stop_requested{false};

void on_signal(int) {
  stop_requested = true;
}

struct options {
  std::string conninfo;
  std::string out;
  std::string table = "writer_rows";
  int period_ms = 20;
  double duration_s = 0;  // 0: until a signal
  bool recreate = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "failover_writer: %s\n"
               "usage: failover_writer --conninfo CONNINFO --out FILE [--table NAME] "
               "[--period-ms N] [--duration SECONDS] [--recreate]\n",
               why);
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--conninfo")
      o.conninfo = value();
    else if (a == "--out")
      o.out = value();
    else if (a == "--table")
      o.table = value();
    else if (a == "--period-ms")
      o.period_ms = std::atoi(value().c_str());
    else if (a == "--duration")
      o.duration_s = std::atof(value().c_str());
    else if (a == "--recreate")
      o.recreate = true;
    else
      usage(("unknown argument " + a).c_str());
  }
  if (o.conninfo.empty() || o.out.empty()) usage("--conninfo and --out are required");
  if (o.period_ms <= 0) usage("--period-ms must be positive");
  // The table name goes into SQL text: keep it to an identifier.
  for (char c : o.table)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) usage("bad --table");
  return o;
}

// Drops the table on the writable server; retries while the cluster has none (up to 60 s).
bool drop_table(const options& o) {
  std::string conninfo = o.conninfo + " target_session_attrs=read-write connect_timeout=2";
  std::string sql = "DROP TABLE IF EXISTS " + o.table;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!stop_requested && std::chrono::steady_clock::now() < deadline) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (PQstatus(c) == CONNECTION_OK) {
      PGresult* r = PQexec(c, sql.c_str());
      bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      if (!ok) std::fprintf(stderr, "failover_writer: %s", PQerrorMessage(c));
      PQclear(r);
      PQfinish(c);
      if (ok) return true;
    } else {
      std::fprintf(stderr, "failover_writer: %s", PQerrorMessage(c));
      PQfinish(c);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  options o = parse(argc, argv);

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::FILE* out = std::fopen(o.out.c_str(), "w");
  if (!out) {
    std::fprintf(stderr, "failover_writer: cannot write %s: %s\n", o.out.c_str(),
                 std::strerror(errno));
    return 1;
  }
  if (o.recreate && !drop_table(o)) {
    std::fprintf(stderr, "failover_writer: could not drop %s on a writable server\n",
                 o.table.c_str());
    return 1;
  }

  // pg_writer stamps acknowledgements with steady_clock; the file carries wall-clock time, to
  // compare with the moment the script sent the fault. One offset taken now keeps the stamps
  // monotonic even if the wall clock is stepped during the run.
  using namespace std::chrono;
  const auto wall_minus_steady =
      duration_cast<nanoseconds>(system_clock::now().time_since_epoch()) -
      duration_cast<nanoseconds>(steady_clock::now().time_since_epoch());

  praetor::test::pg_writer writer(o.conninfo, o.table, milliseconds(o.period_ms));
  writer.start();
  const auto started = steady_clock::now();

  std::size_t written = 0;
  auto flush_new = [&] {
    auto acked = writer.acknowledged();
    for (; written < acked.size(); ++written) {
      const auto& a = acked[written];
      auto ns = duration_cast<nanoseconds>(a.at.time_since_epoch()) + wall_minus_steady;
      std::fprintf(out, "%lld %.3f\n", static_cast<long long>(a.id),
                   static_cast<double>(ns.count()) / 1e6);
    }
    std::fflush(out);
  };

  while (!stop_requested) {
    if (o.duration_s > 0 && steady_clock::now() - started >= duration<double>(o.duration_s)) break;
    std::this_thread::sleep_for(milliseconds(100));
    flush_new();
  }
  writer.stop();
  flush_new();
  std::fclose(out);

  std::fprintf(stderr, "failover_writer: %lld attempts, %zu acknowledged, longest gap %lld ms\n",
               static_cast<long long>(writer.attempts()), written,
               static_cast<long long>(writer.longest_gap().count()));
  return 0;
}

// The memory floor of praetor's chosen libraries: a program that links Debian's libpq and CAF,
// and nothing of praetor's. It prints its resident memory at main(), after starting a CAF actor
// system as praetor does, and, given a libpq connection string, after one query.
#include <libpq-fe.h>

#include <caf/all.hpp>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

void show(const char* when) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return;
  char line[256];
  std::string out;
  while (std::fgets(line, sizeof line, f))
    for (const char* key : {"VmRSS:", "RssAnon:", "RssFile:"})
      if (!std::strncmp(line, key, std::strlen(key))) {
        unsigned long kb = 0;
        std::sscanf(line + std::strlen(key), "%lu", &kb);
        out += " " + std::string(key) + " " + std::to_string(kb) + " kB";
      }
  std::fclose(f);
  std::printf("%-32s%s\n", when, out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  show("at main()");
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 1);
  caf::actor_system sys{cfg};
  show("CAF actor system started");
  if (argc < 2) return 0;
  PGconn* conn = PQconnectdb(argv[1]);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "rss_floor: cannot connect: %s", PQerrorMessage(conn));
    return 1;
  }
  PQclear(PQexec(conn, "SELECT pg_is_in_recovery()"));
  show("after one query");
  PQfinish(conn);
  return 0;
}
